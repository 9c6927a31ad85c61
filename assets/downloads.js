/* Follow a download link the server just made (dashboard/downloads.py): the file comes from a
   plain GET with Content-Disposition, never as base64 in a callback's JSON. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  atlas_downloads: {
    follow: function (href) {
      if (href) {
        const a = document.createElement("a");
        a.href = href;
        a.rel = "noopener";
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
      return href ? "再次下载" : "";
    },
  },
});
