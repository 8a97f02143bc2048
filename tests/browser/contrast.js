// WCAG 2 contrast ratio of an element's text against what is painted behind it.
// Colours with alpha are composited over the layers below, down to the canvas.
(el) => {
    const parse = (c) => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const over = (top, below) => ({
        r: top.r * top.a + below.r * (1 - top.a),
        g: top.g * top.a + below.g * (1 - top.a),
        b: top.b * top.a + below.b * (1 - top.a),
        a: 1,
    });
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg && bg.a > 0) {
            layers.push(bg);
            if (bg.a >= 1) break;
        }
    }
    let back = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) back = over(layer, back);
    const style = getComputedStyle(el);
    const fore = over(parse(style.color), back);
    const lum = (c) => {
        const ch = [c.r, c.g, c.b].map((v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
    };
    const [hi, lo] = [lum(fore), lum(back)].sort((a, b) => b - a);
    return {ratio: (hi + 0.05) / (lo + 0.05), size: parseFloat(style.fontSize), weight: Number(style.fontWeight)};
}
