/* asgi-consent: progressive enhancement of the server-rendered banner. Without it everything still works. */
(function () {
  "use strict";
  var d = document, w = window, banner = d.getElementById("consent-banner");
  if (!banner) return;
  var data = function (name) { return banner.getAttribute("data-" + name); };

  function permitted(el, granted) {
    var wanted = (el.getAttribute("data-consent") || "").split(/\s+/).filter(Boolean);
    return wanted.length > 0 && wanted.every(function (c) { return c === "necessary" || granted[c] === true; });
  }

  // Runs an inert script: a fresh <script> with the same attributes, type from data-type, src from data-src.
  // Calls done() once the next one may run, so that scripts keep their document order.
  function run(old, done) {
    var s = d.createElement("script"), attrs = old.attributes, i, a;
    for (i = 0; i < attrs.length; i++) {
      a = attrs[i];
      if (!/^(type|data-type|data-src)$/.test(a.name)) s.setAttribute(a.name, a.value);
    }
    if (old.getAttribute("data-type")) s.type = old.getAttribute("data-type");
    if (old.nonce) s.nonce = old.nonce; // the nonce attribute is hidden once parsed; the property keeps it
    var src = old.getAttribute("data-src") || old.getAttribute("src"), wait = src && !old.hasAttribute("async");
    if (src) {
      s.src = src;
      s.async = !wait;
      if (wait) s.onload = s.onerror = function () { done(); };
    } else s.text = old.text;
    old.parentNode.replaceChild(s, old);
    if (!wait) done();
  }

  // What the server renamed (src -> data-src, …; the list is consent/_html/fetch.py's RESTORED) goes back,
  // srcset before src. A <base> and a <meta> refresh act only when parsed: those come with the next page.
  var RESTORED = "srcset imagesrcset src data poster background ping style href xlink:href srcdoc".split(" ");
  function activate(granted) {
    var els = d.querySelectorAll("[data-consent]"), scripts = [], i, el, type;
    for (i = 0; i < els.length; i++) {
      el = els[i];
      if (!permitted(el, granted) || el.tagName === "BASE") continue;
      if (el.tagName === "SCRIPT") {
        if (/^text\/plain$/i.test(el.type)) scripts.push(el);
        continue;
      }
      if (el.tagName === "STYLE" && /^text\/plain$/i.test(el.type)) {
        el.textContent = el.textContent.replace(/^consent-inert\{\}/, ""); // the server's stop for preloading
        type = el.getAttribute("data-type");
        if (type) el.type = type;
        else el.removeAttribute("type");
      }
      if (el.hasAttribute("data-src") && !el.hasAttribute("data-srcdoc")) el.removeAttribute("srcdoc"); // an embed's placeholder
      RESTORED.forEach(function (n) {
        var v = el.getAttribute("data-" + n);
        if (v === null) return;
        el.removeAttribute("data-" + n);
        el.setAttribute(n === "xlink:href" ? "href" : n, v);
      });
    }
    (function next() {
      var s = scripts.shift();
      if (s) run(s, next);
    })();
  }

  // Tag managers learn the choice: Google Consent Mode and Matomo, when the site turned them on.
  function tell(granted) {
    var types = JSON.parse(data("gcm") || "null"), update = {}, k;
    if (types) {
      for (k in types) update[k] = types[k] === "necessary" || granted[types[k]] ? "granted" : "denied";
      w.dataLayer = w.dataLayer || [];
      (w.gtag || function () { w.dataLayer.push(arguments); })("consent", "update", update); // gtag wants Arguments
    }
    if (banner.hasAttribute("data-matomo")) {
      w._paq = w._paq || [];
      w._paq.push([granted.analytics ? "setConsentGiven" : "forgetConsentGiven"]);
    }
  }

  function apply(granted, fresh) {
    d.dispatchEvent(new CustomEvent("consent:grant", { detail: granted })); // the client guard lets these through first
    if (fresh) tell(granted); // before the tags it allows run: they read the update first
    activate(granted);
    d.dispatchEvent(new CustomEvent("consent:change", { detail: { categories: granted } }));
  }

  function decided(state) {
    var status = d.createElement("p"), reopen = d.getElementById("consent-reopen");
    status.className = "consent-status";
    status.setAttribute("role", "status");
    status.setAttribute("tabindex", "-1");
    status.lang = banner.lang;
    status.textContent = data("saved");
    banner.parentNode.replaceChild(status, banner);
    status.focus({ preventScroll: true });
    if (!reopen && data("reopen")) { // in the flow at the end of the page, as the server writes it
      var bar = d.createElement("p");
      bar.className = "consent-reopen-bar";
      bar.lang = banner.lang;
      reopen = d.createElement("a");
      reopen.id = "consent-reopen";
      reopen.className = "consent-reopen";
      reopen.href = data("settings");
      reopen.textContent = data("reopen");
      bar.appendChild(reopen);
      d.body.appendChild(bar);
    }
    if (reopen) reopen.hidden = false;
    apply(state.categories || {}, true);
  }

  // A page every visitor shares (a cached page): the HTML is the same for all, so the choice is read here,
  // from the unsigned part of the consent cookie; the server never trusts this reading.
  if (banner.hasAttribute("data-shared")) {
    var name = data("cookie") + "=", parts = null, granted = {}, list = function (s) { return (s || "").split(" "); };
    d.cookie.split("; ").forEach(function (c) {
      var p = c.indexOf(name) === 0 && c.slice(name.length).split(":"); // 1:<version>:<a.b>:<id>.<time>.<sig>
      if (p && p[1] === data("version")) parts = p;
    });
    // An undecided visitor gets what the server says (data-undecided), never a rule re-derived here.
    list(parts ? parts[2].replace(/\./g, " ") : data("undecided")).forEach(function (c) {
      if (c) granted[c] = true;
    });
    if (navigator.globalPrivacyControl === true) list(data("sale")).forEach(function (c) { delete granted[c]; });
    if (banner.hasAttribute("data-dnt") && navigator.doNotTrack === "1") granted = {};
    if (parts && d.getElementById("consent-reopen")) d.getElementById("consent-reopen").hidden = false;
    apply(granted, true);
  }

  var form = banner.querySelector("form");
  if (!form || !w.fetch) return;
  form.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || button.name !== "action") return; // let the browser post the form
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    body.set("action", button.value);
    // getAttribute: form.action would be the <button name="action"> elements (DOM clobbering).
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(decided)
      .catch(function () {
        var input = d.createElement("input");
        input.type = "hidden";
        input.name = "action";
        input.value = button.value;
        form.appendChild(input);
        HTMLFormElement.prototype.submit.call(form); // fall back to the plain form post
      });
  });
})();
