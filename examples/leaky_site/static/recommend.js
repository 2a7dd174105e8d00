// Planted leak 1: a first-party "recommended articles" widget that loads Hotjar at run time. The server
// only ever sees <script src="/static/recommend.js">, a script of the site itself, so it cannot gate it.
(function () {
  var script = document.createElement("script");
  script.async = true;
  script.src = "https://static.hotjar.com/c/hotjar-3141592.js?sv=6";
  document.head.appendChild(script);
})();
