/* asgi-consent client guard: the first script of the page. It holds back what code running in the page asks
   of a known tracker's host before the visitor allows its category: elements whose URL is set by code
   (src, srcset, href, data, poster, style, srcdoc), markup written by code (document.write, innerHTML), fetch,
   XMLHttpRequest and sendBeacon. Held elements load after a choice that allows them, in the order they were
   held; requests (fetch, XHR, beacons) are dropped. The server gates the HTML; this covers what it cannot see.
   The table below is generated at startup from the tracker table: {category: "host host|/path|/path …"}. */
(function (w, d) {
  "use strict";
  var G = __CONSENT_GUARD__, me = d.currentScript, granted = {}, held = [], hosts = { __proto__: null }, c, k;
  for (c in G.t) G.t[c].split(" ").forEach(function (e) {
    var p = e.split("|"), h = p.shift();
    (hosts[h] = hosts[h] || []).push([c, p]);
  });

  // Adds to `out` the refused categories a fetch of `url` needs: the URL as the browser itself parses it, its
  // host and every parent domain looked up (a provider listed with paths only for those paths).
  function need(url, out) {
    var u, h, i;
    try { u = new URL(url, d.baseURI); } catch (e) { return; }
    for (h = u.hostname.replace(/\.$/, ""); h; h = i < 0 ? "" : h.slice(i + 1)) {
      (hosts[h] || []).forEach(function (e) {
        if (!granted[e[0]] && out.indexOf(e[0]) < 0 && (!e[1].length || e[1].some(function (p) { return u.pathname.indexOf(p) === 0; }))) out.push(e[0]);
      });
      i = h.indexOf(".");
    }
  }

  // The refused categories a value needs, "" if none: kind 0 a URL, 1 a srcset, 2 CSS (url() and @import),
  // 3 a document (an iframe's srcdoc).
  function needs(v, kind) {
    var out = [];
    if (kind === 3) return markup(v, out) && out.join(" ");
    v = String(v && v.url || v);
    (kind === 1 ? v.split(/[\s,]+/) : kind === 2 ? (v.match(/url\(\s*['"]?[^'")\s]*|@import\s*['"][^'"]*/gi) || []).map(function (m) {
      return m.replace(/^[^('"]*[('"]\s*['"]?/, "");
    }) : [v]).forEach(function (u) { need(u, out); });
    return out.join(" ");
  }

  // How attribute `n` of `el` makes it fetch (see needs), undefined if it does not (or the site vouches).
  var KIND = { __proto__: null, src: 0, data: 0, poster: 0, background: 0, href: 0, srcset: 1, imagesrcset: 1, style: 2, srcdoc: 3 };
  function kind(el, n) {
    var k = KIND[n = n.replace(/^xlink:/, "")];
    if (k === undefined || n === "href" && !(el instanceof HTMLLinkElement || el instanceof SVGElement && !(el instanceof SVGAElement))) return;
    if (n === "data" && !(el instanceof HTMLObjectElement) || el.hasAttribute("data-consent-allow-tracker")) return;
    return k;
  }

  // Sets attribute `n` of `el` to `v` by calling `run`, unless `v` goes to a refused tracker: then `run` is
  // held, to be called after a choice that allows it. The latest value of an attribute wins.
  function put(el, n, v, run) {
    var k = kind(el, n), c;
    if (k === undefined) return run();
    held = held.filter(function (h) { return h[0] !== el || h[1] !== n; });
    if (!(c = needs(v, k))) return run();
    held.push([el, n, c, run]);
  }

  // The visitor's choice (a map of granted categories): what it allows of what was held goes, in order.
  function grant(g) {
    var wait = held;
    granted = g || {};
    held = [];
    wait.forEach(function (h) {
      if (h[2].split(" ").every(function (x) { return granted[x] === true; })) h[3]();
      else held.push(h);
    });
  }

  // Markup written by code, parsed first where nothing loads (a template): whatever in it fetches from a
  // refused tracker is made inert as the server does it (data-X, data-consent), so that consent.js
  // activates it after a choice. Unchanged markup is passed on as it came. `out` collects the categories.
  var inner = Object.getOwnPropertyDescriptor(Element.prototype, "innerHTML"), setAttr = Element.prototype.setAttribute;
  function markup(html, out) {
    var t = d.createElement("template"), hit = false;
    inner.set.call(t, html);
    t.content.querySelectorAll("*").forEach(function (el) {
      var found = [], i, a, c;
      for (i = el.attributes.length; i--;) {
        a = el.attributes[i];
        if (kind(el, a.name) !== undefined && (c = needs(a.value, kind(el, a.name)))) {
          found.push(c);
          setAttr.call(el, "data-" + a.name, a.value);
          el.removeAttribute(a.name);
        }
      }
      if (el.tagName === "STYLE" && (c = needs(el.textContent, 2))) found.push(c);
      if (!found.length) return;
      if (out) found.join(" ").split(" ").forEach(function (x) { if (out.indexOf(x) < 0) out.push(x); });
      hit = true;
      if (el.tagName === "STYLE") el.textContent = "consent-inert{}" + el.textContent; // as the server writes it
      if (el.tagName === "SCRIPT" || el.tagName === "STYLE") {
        if (el.type) setAttr.call(el, "data-type", el.type);
        setAttr.call(el, "type", "text/plain");
      }
      setAttr.call(el, "data-consent", found.join(" "));
      setAttr.call(el, "data-consent-auto", "guard");
    });
    return hit ? inner.get.call(t) : html;
  }

  // Replaces the method (or the accessor's setter) `n` of `o` by f(this, arguments, run), `run` calling the
  // original with those arguments (which f may change first).
  function hook(o, n, f) {
    var desc = o && Object.getOwnPropertyDescriptor(o, n), key = desc && (desc.set ? "set" : "value"), old = key && desc[key];
    if (typeof old !== "function") return;
    desc[key] = function () {
      var self = this, a = arguments;
      return f(self, a, function () { return old.apply(self, a); });
    };
    Object.defineProperty(o, n, desc);
  }

  // Every window of this origin: the page's, and the same-origin frames code can reach (they have their own
  // fetch and prototypes).
  function install(w) {
    var E = w.Element.prototype;
    if (w.__consentGuard) return;
    w.__consentGuard = 1;
    hook(E, "setAttribute", function (el, a, run) { return put(el, String(a[0]).toLowerCase(), a[1], run); });
    hook(E, "setAttributeNS", function (el, a, run) { return put(el, String(a[1]).toLowerCase().replace(/^.*:/, ""), a[2], run); });
    Object.getOwnPropertyNames(w).forEach(function (name) {
      if (/^HTML.*Element$/.test(name)) ["src", "srcset", "poster", "data", "href", "imageSrcset", "background", "srcdoc"].forEach(function (n) {
        hook(w[name].prototype, n, function (el, a, run) { put(el, n.toLowerCase(), a[0], run); });
      });
    });
    // CSS text of a <style> element, and markup parsed into the page.
    function css(el, a, run) { return el.tagName === "STYLE" ? put(el, "style", a[0], run) : run(); }
    hook(w.Node.prototype, "textContent", css);
    ["innerHTML", "outerHTML"].forEach(function (n) {
      hook(E, n, function (el, a, run) {
        if (!/^(STYLE|SCRIPT)$/.test(el.tagName)) a[0] = markup(a[0]);
        return css(el, a, run);
      });
    });
    hook(E, "insertAdjacentHTML", function (el, a, run) { a[1] = markup(a[1]); return run(); });
    hook(w.Range.prototype, "createContextualFragment", function (r, a, run) { a[0] = markup(a[0]); return run(); });
    ["write", "writeln"].forEach(function (n) {
      hook(w.Document.prototype, n, function (doc, a, run) {
        a[0] = markup([].join.call(a, ""));
        a.length = 1;
        return run();
      });
    });
    ["contentWindow", "contentDocument"].forEach(function (n) {
      var desc = Object.getOwnPropertyDescriptor(w.HTMLIFrameElement.prototype, n), get = desc.get;
      desc.get = function () {
        var v = get.call(this);
        try { install(v.defaultView || v); } catch (e) {} // none yet, or another origin's: nothing to patch
        return v;
      };
      Object.defineProperty(w.HTMLIFrameElement.prototype, n, desc);
    });
    // Requests: dropped, never replayed later (they carry what the page knew before the choice).
    hook(w, "fetch", function (t, a, run) { return needs(a[0], 0) ? Promise.reject(new TypeError("blocked until consent")) : run(); });
    hook(w.Navigator.prototype, "sendBeacon", function (t, a, run) { return !needs(a[0], 0) && run(); });
    hook(w.XMLHttpRequest.prototype, "open", function (x, a, run) { x.__consent = needs(a[1], 0); return run(); });
    hook(w.XMLHttpRequest.prototype, "send", function (x, a, run) {
      if (!x.__consent) return run();
      setTimeout(function () { ["error", "loadend"].forEach(function (e) { x.dispatchEvent(new ProgressEvent(e)); }); });
    });
  }

  // What the visitor allows: the server says so (data-allow), except on a page every visitor shares, where
  // it is read from the unsigned part of the consent cookie exactly as consent.js reads it.
  k = me && me.getAttribute("data-allow");
  if (k === null) {
    k = (me && me.getAttribute("data-undecided")) || "";
    d.cookie.split("; ").forEach(function (x) {
      var p = x.indexOf(G.c + "=") === 0 && x.slice(G.c.length + 1).split(":"); // 1:<version>:<a.b>:<id>.<time>.<sig>
      if (p && p[1] === G.v) k = p[2].replace(/\./g, " ");
    });
    if (navigator.globalPrivacyControl === true) k = k.split(" ").filter(function (c) { return G.s.indexOf(c) < 0; }).join(" ");
    if (G.n && navigator.doNotTrack === "1") k = "";
  }
  k.split(" ").forEach(function (c) { if (c) granted[c] = true; });
  install(w);
  d.addEventListener("consent:grant", function (e) { grant(e.detail); });
})(window, document);
