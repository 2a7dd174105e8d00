/* asgi-consent: progressive enhancement of the server-rendered banner. Without it everything still works. */
(function () {
  "use strict";
  var d = document;

  function permitted(el, granted) {
    var wanted = (el.getAttribute("data-consent") || "").split(/\s+/).filter(Boolean);
    return wanted.length > 0 && wanted.every(function (c) { return c === "necessary" || granted[c] === true; });
  }

  // Runs an inert script: a fresh <script> with the same attributes, type from data-type, src from data-src.
  // Calls done() once the next one may run, so that scripts keep their document order.
  function run(old, done) {
    var s = d.createElement("script"), attrs = old.attributes, i, a, src;
    for (i = 0; i < attrs.length; i++) {
      a = attrs[i];
      if (a.name !== "type" && a.name !== "data-type" && a.name !== "data-src") s.setAttribute(a.name, a.value);
    }
    if (old.getAttribute("data-type")) s.type = old.getAttribute("data-type");
    if (old.nonce) s.nonce = old.nonce; // the nonce attribute is hidden once parsed; the property keeps it
    src = old.getAttribute("data-src") || old.getAttribute("src");
    var wait = src && !old.hasAttribute("async");
    if (src) {
      s.src = src;
      s.async = !wait;
      if (wait) s.onload = s.onerror = function () { done(); };
    } else {
      s.text = old.text;
    }
    old.parentNode.replaceChild(s, old);
    if (!wait) done();
  }

  function activate(granted) {
    var els = d.querySelectorAll('script[type="text/plain"][data-consent], iframe[data-consent][data-src], img[data-consent][data-src]');
    var scripts = [], i, el;
    for (i = 0; i < els.length; i++) {
      el = els[i];
      if (!permitted(el, granted)) continue;
      if (el.tagName !== "SCRIPT") {
        if (el.hasAttribute("data-srcset")) el.setAttribute("srcset", el.getAttribute("data-srcset"));
        el.setAttribute("src", el.getAttribute("data-src"));
        el.removeAttribute("data-src");
      } else {
        scripts.push(el);
      }
    }
    (function next() {
      var s = scripts.shift();
      if (s) run(s, next);
    })();
  }

  function decided(banner, state) {
    var status = d.createElement("p");
    status.className = "consent-status";
    status.setAttribute("role", "status");
    status.setAttribute("tabindex", "-1");
    status.lang = banner.lang;
    status.textContent = banner.getAttribute("data-saved");
    banner.parentNode.replaceChild(status, banner);
    status.focus({ preventScroll: true });
    if (!d.getElementById("consent-reopen")) {
      var link = d.createElement("a");
      link.id = "consent-reopen";
      link.className = "consent-reopen";
      link.href = banner.getAttribute("data-settings");
      link.lang = banner.lang;
      link.textContent = banner.getAttribute("data-reopen");
      d.body.appendChild(link);
    }
    activate(state.categories || {});
    d.dispatchEvent(new CustomEvent("consent:change", { detail: state }));
  }

  function enhance() {
    var banner = d.getElementById("consent-banner");
    var form = banner && banner.querySelector("form");
    if (!form || !window.fetch) return;
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
        .then(function (state) { decided(banner, state); })
        .catch(function () {
          var input = d.createElement("input");
          input.type = "hidden";
          input.name = "action";
          input.value = button.value;
          form.appendChild(input);
          HTMLFormElement.prototype.submit.call(form); // fall back to the plain form post
        });
    });
  }

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
