/* The open view tab follows the URL hash (dashboard/viewtabs.py says why; same rule there). */
window.dash_clientside = Object.assign({}, window.dash_clientside);
window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {
    syncTab: function (hash, tab, memory) {
        const noUpdate = window.dash_clientside.no_update;
        const tabs = memory.tabs;
        const fragment = hash || "";
        const owner = function (h) {
            for (const [value, prefix] of tabs) {
                if (prefix && (h === prefix || h.startsWith(prefix + "?"))) {
                    return value;
                }
            }
            return tabs[0][0];
        };
        const ctx = window.dash_clientside.callback_context;
        const clicked = (ctx.triggered || []).some((t) => t.prop_id === memory.tabs_id + ".value");
        const here = owner(fragment);
        const last = Object.assign({}, memory.last, {[here]: fragment});
        if (!clicked) {  // page load, or back/forward: the hash picks the tab
            return [here === tab ? noUpdate : here, noUpdate, Object.assign({}, memory, {last})];
        }
        if (here === tab) {
            return [noUpdate, noUpdate, noUpdate];
        }
        const prefix = (tabs.find((t) => t[0] === tab) || tabs[0])[1];
        return [noUpdate, last[tab] || prefix, Object.assign({}, memory, {last})];
    },
});
