// Planted leak 2: a home-made page-view beacon to Google Analytics, sent with fetch() (no tag in the HTML).
fetch("https://www.google-analytics.com/g/collect?v=2&tid=G-LEAKY0001&en=page_view&dl=" + encodeURIComponent(location.href), {
  method: "POST",
  mode: "no-cors",
  keepalive: true,
}).catch(function () {});
