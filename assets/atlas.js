/* Clientside callbacks of the map view (dashboard/map_view.py): pure bookkeeping that needs
 * no server round trip. Each mirrors a Python function in dashboard/callbacks.py. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
        /* cb.on_map_click: select the clicked place (customdata[0]) or clear it when clicked
         * again; reset clickData so plotly reports the next click on the same shape. The
         * server checks the name against the vocabulary when the view updates. */
        toggle_place: function (click, current) {
            const noUpdate = window.dash_clientside.no_update;
            const points = click && Array.isArray(click.points) ? click.points : [];
            const custom = points.length && points[0] ? points[0].customdata : null;
            const name = Array.isArray(custom) && custom.length ? custom[0] : null;
            if (typeof name !== "string" || name === "") {
                return [noUpdate, null];
            }
            return [name === current ? null : name, null];
        },
        /* 清除选择: no place selected. */
        clear_place: function (n) {
            return null;
        },
        /* cb.on_bar_click: filter by the clicked agency (the bar's y); again removes it. */
        toggle_agency: function (click, current) {
            const noUpdate = window.dash_clientside.no_update;
            const points = click && Array.isArray(click.points) ? click.points : [];
            const name = points.length && points[0] ? points[0].y : null;
            if (typeof name !== "string" || name === "") {
                return [noUpdate, null];
            }
            return [name === current ? null : name, null];
        },
    },
});
