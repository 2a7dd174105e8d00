// Planted leak 3: "share" buttons that write Meta's browser id cookie from JavaScript. Set-Cookie headers
// are the server's to filter; a cookie written in the browser never passes through it.
document.cookie = "_fbp=fb.1." + Date.now() + ".4242; path=/; max-age=7776000; SameSite=Lax";
