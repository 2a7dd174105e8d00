/* asgi-consent client guard: the first script of the page. It holds back what code running in the page asks
   of a known tracker's host before the visitor allows its category: elements whose URL is set by code
   (src, srcset, href, data, poster, style), markup written by code (document.write, innerHTML), fetch,
   XMLHttpRequest and sendBeacon. Held elements load after a choice that allows them, in the order they were
   held; requests (fetch, XHR, beacons) are dropped. The server gates the HTML; this covers what it cannot see.
   The table below is generated at startup from the tracker table: {category: "host host|/path|/path …"}. */
(function (w, d) {
  "use strict";
  var G = __CONSENT_GUARD__, me = d.currentScript, granted = {}, held = [], hosts = {}, c, k;
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

  // The refused categories a value needs, "" if none: kind 0 a URL, 1 a srcset, 2 CSS (url() and @import).
  function needs(v, kind) {
    var out = [];
    v = String(v && v.url || v);
    (kind === 1 ? v.split(/[\s,]+/) : kind === 2 ? (v.match(/url\(\s*['"]?[^'")\s]*|@import\s*['"][^'"]*/gi) || []).map(function (m) {
      return m.replace(/^[^('"]*[('"]\s*['"]?/, "");
    }) : [v]).forEach(function (u) { need(u, out); });
    return out.join(" ");
  }

  // Whether attribute `n` of `el` makes it fetch, and how its value reads (see needs); undefined if not.
  var KIND = { src: 0, data: 0, poster: 0, background: 0, href: 0, srcset: 1, imagesrcset: 1, style: 2 };
  function kind(el, n) {
    n = n.replace(/^xlink:/, "");
    if (n === "href" && !(el instanceof HTMLLinkElement || el instanceof SVGElement && !(el instanceof SVGAElement))) return;
    if (n === "data" && !(el instanceof HTMLObjectElement)) return;
    return el.hasAttribute("data-consent-allow-tracker") ? undefined : KIND[n];
  }

  // Called instead of setting attribute `n` of `el` to `v` (by `set`): true when it was held instead.
  function hold(el, n, v, set) {
    var k = kind(el, n), c;
    if (k === undefined) return false;
    held = held.filter(function (h) { return h[0] !== el || h[1] !== n; }); // the latest value wins
    if (!(c = needs(v, k))) return false;
    held.push([el, n, c, set]);
    return true;
  }

  function allowed(c) {
    return c.split(" ").every(function (x) { return granted[x] === true; });
  }

  // The visitor's choice (a map of granted categories): what it allows of what was held goes, in order.
  function grant(g) {
    var wait = held;
    granted = g || {};
    held = [];
    wait.forEach(function (h) { if (allowed(h[2])) h[3](); else held.push(h); });
  }

  // Markup written by code, parsed first where nothing loads (a template): whatever in it fetches from a
  // refused tracker is made inert as the server does it (data-X, data-consent), so that consent.js
  // activates it after a choice. Unchanged markup is passed on as it came.
  var inner = Object.getOwnPropertyDescriptor(Element.prototype, "innerHTML"), setAttr = Element.prototype.setAttribute;
  function markup(html) {
    var t = d.createElement("template"), hit = false;
    inner.set.call(t, html);
    t.content.querySelectorAll("*").forEach(function (el) {
      var need = [], i, a, c;
      for (i = el.attributes.length; i--;) {
        a = el.attributes[i];
        if (kind(el, a.name) !== undefined && (c = needs(a.value, kind(el, a.name)))) {
          need.push(c);
          setAttr.call(el, "data-" + a.name, a.value);
          el.removeAttribute(a.name);
        }
      }
      if (el.tagName === "STYLE" && (c = needs(el.textContent, 2))) need.push(c);
      if (!need.length) return;
      hit = true;
      if (el.tagName === "STYLE") el.textContent = "consent-inert{}" + el.textContent; // as the server writes it
      if (el.tagName === "SCRIPT" || el.tagName === "STYLE") {
        if (el.type) setAttr.call(el, "data-type", el.type);
        setAttr.call(el, "type", "text/plain");
      }
      setAttr.call(el, "data-consent", need.join(" "));
      setAttr.call(el, "data-consent-auto", "guard");
    });
    return hit ? inner.get.call(t) : html;
  }

  function patch(o, n, make) {
    var desc = o && Object.getOwnPropertyDescriptor(o, n);
    if (desc) Object.defineProperty(o, n, make(desc));
  }
  function setter(n, wrap) {
    return function (desc) {
      return { configurable: true, enumerable: desc.enumerable, get: desc.get, set: function (v) { wrap(this, v, desc.set, n); } };
    };
  }
  function method(wrap) {
    return function (desc) {
      var f = desc.value;
      return { configurable: true, writable: true, value: function () { return wrap(this, arguments, f); } };
    };
  }

  // Every window of this origin: the page's, and the same-origin frames code can reach (their fetch and
  // prototypes are their own).
  function install(w) {
    var E = w.Element.prototype, X = w.XMLHttpRequest.prototype, N = w.navigator, f = w.fetch, b = N.sendBeacon;
    if (w.__consentGuard) return;
    w.__consentGuard = 1;
    patch(E, "setAttribute", method(function (el, a, f) {
      var n = String(a[0]).toLowerCase(), v = a[1];
      if (!hold(el, n, v, function () { f.call(el, n, v); })) return f.apply(el, a);
    }));
    patch(E, "setAttributeNS", method(function (el, a, f) {
      if (!hold(el, String(a[1]).toLowerCase().replace(/^.*:/, ""), a[2], function () { f.apply(el, a); })) return f.apply(el, a);
    }));
    Object.getOwnPropertyNames(w).forEach(function (name) {
      if (/^HTML.*Element$/.test(name)) ["src", "srcset", "poster", "data", "href", "imageSrcset", "background"].forEach(function (n) {
        patch(w[name].prototype, n, setter(n.toLowerCase(), function (el, v, set, n) {
          if (!hold(el, n, v, function () { set.call(el, v); })) set.call(el, v);
        }));
      });
    });
    // CSS text of a <style> element, and markup parsed into the page.
    patch(w.Node.prototype, "textContent", setter("", function (el, v, set) {
      if (el.tagName !== "STYLE" || !hold(el, "style", v, function () { set.call(el, v); })) set.call(el, v);
    }));
    ["innerHTML", "outerHTML"].forEach(function (n) {
      patch(E, n, setter(n, function (el, v, set) {
        if (el.tagName !== "STYLE" && el.tagName !== "SCRIPT") v = markup(v);
        if (el.tagName !== "STYLE" || !hold(el, "style", v, function () { set.call(el, v); })) set.call(el, v);
      }));
    });
    patch(E, "insertAdjacentHTML", method(function (el, a, f) { return f.call(el, a[0], markup(a[1])); }));
    ["write", "writeln"].forEach(function (n) {
      patch(w.Document.prototype, n, method(function (doc, a, f) {
        return f.call(doc, markup([].join.call(a, "")));
      }));
    });
    ["contentWindow", "contentDocument"].forEach(function (n) {
      patch(w.HTMLIFrameElement.prototype, n, function (desc) {
        return { configurable: true, enumerable: desc.enumerable, get: function () {
          var v = desc.get.call(this);
          try { install(v.defaultView || v); } catch (e) {} // none yet, or another origin's: nothing to patch
          return v;
        } };
      });
    });
    // Requests: dropped, never replayed later (they carry what the page knew before the choice).
    if (f) w.fetch = function (r) {
      return needs(r, 0) ? Promise.reject(new TypeError("blocked until consent")) : f.apply(this, arguments);
    };
    if (b) N.sendBeacon = function (u) { return !needs(u, 0) && b.apply(this, arguments); };
    patch(X, "open", method(function (x, a, f) { x.__consent = needs(a[1], 0); return f.apply(x, a); }));
    patch(X, "send", method(function (x, a, f) {
      if (!x.__consent) return f.apply(x, a);
      setTimeout(function () { ["error", "loadend"].forEach(function (e) { x.dispatchEvent(new ProgressEvent(e)); }); });
    }));
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
