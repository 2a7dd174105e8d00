// asgi-consent scanner: runs in every frame before the page's own scripts. It records which script writes
// each cookie (document.cookie and cookieStore.set), so a report can say who set a cookie, not only that it
// exists. It changes nothing the page sees: the original setters run as before.
(() => {
  const writes = [];
  Object.defineProperty(window, "__consentScanWrites", { value: writes });
  const caller = () => {
    const lines = String(new Error().stack || "").split("\n");
    for (const line of lines) {
      const m = line.match(/((?:https?|file):\/\/[^\s()]+?):\d+:\d+\)?\s*$/);
      if (m) return m[1];
    }
    return "";
  };
  const record = (name) => {
    if (writes.length < 1000) writes.push({ name: String(name).trim(), source: caller() });
  };
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (desc && desc.set && desc.configurable) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true,
      enumerable: desc.enumerable,
      get() { return desc.get.call(this); },
      set(value) {
        try { record(String(value).split(";")[0].split("=")[0]); } catch (e) { /* never break the page */ }
        desc.set.call(this, value);
      },
    });
  }
  const store = window.CookieStore && window.CookieStore.prototype;
  if (store && store.set) {
    const set = store.set;
    store.set = function (name, value) {
      try { record(typeof name === "object" && name ? name.name : name); } catch (e) { /* as above */ }
      return set.apply(this, arguments);
    };
  }
})();
