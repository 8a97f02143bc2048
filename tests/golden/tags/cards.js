// Cards for the two-tag filter and the by-title order (generator/render_tags.py).
window.rlCards = (function () {
var P = "../papers/", G = "", E = "/";
var T = [["graph-learning","Graph learning"],["quantization","Quantization"],["robustness","Robustness"],["vision","Vision"]];
return [
["graph-neural-networks-for-molecules","Graph Neural Networks for Molecules","<span class=\"rl-date\">Mar 11 (year unknown)</span>","We study graph neural networks for molecular property prediction. A message passing model with edge features improves accuracy on three benchmarks while using fewer parameters than previous graph …",[0]],
["c-for-machine-learning--0baa74","C for Machine Learning","<span class=\"rl-date\">Mar 11 (year unknown)</span>","We describe a plain C library for quantization of neural networks to low-bit integers on microcontrollers. Post-training quantization keeps accuracy within one percent.",[1]],
["quantization-of-vision-transformers","Quantization of Vision Transformers","","We propose a quantization method for vision transformers that keeps attention maps stable at four bits. Experiments on ImageNet show state-of-the-art accuracy for low-bit vision transformers.",[3,1]],
["adversarial-training-revisited","Adversarial Training Revisited","","Adversarial training remains the strongest defence against adversarial attacks. We revisit adversarial robustness of image classifiers and show that certified training with interval bound propagation …",[2]]
].map(function (c) {
  var l = ['<li class="rl-card"><p class="rl-card__title"><a href="' + P + c[0] + E + '">' + c[1] + "</a></p>"];
  if (c[2]) l.push('<p class="rl-card__meta">' + c[2] + "</p>");
  if (c[3]) l.push('<p class="rl-card__snippet">' + c[3] + "</p>");
  if (c[4].length) l.push('<p class="rl-card__tags">' + c[4].map(function (i) {
    return '<a class="md-tag" href="' + G + T[i][0] + E + '">' + T[i][1] + "</a>";
  }).join(" ") + "</p>");
  l[l.length - 1] += "</li>";
  return l.join("\n");
});
})();
window.rlCardsDigest = "96f2703e";
