/* 汇报模式 keys (dashboard/briefing.py): ← → step through places, Esc leaves.
   Only while the page is in briefing mode and the focus is not in a text field. */
document.addEventListener("keydown", function (event) {
  var root = document.getElementById("atlas-root");
  if (!root || !root.classList.contains("briefing")) { return; }
  var tag = (event.target && event.target.tagName) || "";
  if (tag === "INPUT" || tag === "TEXTAREA") { return; }
  var target = { ArrowRight: "briefing-next", ArrowLeft: "briefing-prev",
                 Escape: "briefing-toggle" }[event.key];
  if (!target) { return; }
  /* the open tab's own pair (dashboard/briefing.py PREFIXES): only the open view is mounted */
  var button = document.getElementById(target) || document.getElementById("progress-" + target);
  if (button) { event.preventDefault(); button.click(); }
});
