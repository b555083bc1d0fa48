// The admin console's one script: live refresh of the parts of a page that change while jobs
// run. An element with data-refresh="<url>" gets that fragment's HTML every
// data-refresh-seconds. The pages work without it: reloading shows the same.
(function () {
  "use strict";

  function refresh(element) {
    var url = element.getAttribute("data-refresh");
    var seconds = parseFloat(element.getAttribute("data-refresh-seconds") || "2");
    if (!url) {
      return;
    }
    var timer = window.setInterval(function () {
      if (document.hidden) {
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
        // a fragment says so; anything else (the login page after the session ended) stops the refresh
        if (!response.ok || response.headers.get("X-Console-Fragment") !== "1") {
          window.clearInterval(timer);
          return null;
        }
        return response.text();
      }).then(function (html) {
        if (html === null || html === undefined) {
          return;
        }
        element.innerHTML = html;
        var finished = element.querySelector("[data-finished='true']");
        if (finished && element.getAttribute("data-reload-when-finished") === "true") {
          window.clearInterval(timer);
          window.location.reload();
        }
      }).catch(function () {
        // the server is restarting or the network is down: try again at the next tick
      });
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var elements = document.querySelectorAll("[data-refresh]");
    for (var i = 0; i < elements.length; i++) {
      refresh(elements[i]);
    }
  });
})();
