/* The task table's refresh (dashboard/task_table.py): back to the first page, pages dropped,
 * so the grid asks the server for its first page at once. Called by the table's search box
 * and by the page's URL sync (assets/urlsync.js) when the filters change: from there the
 * grid's request leaves with the map's, in one round (issue 13). */
window.dash_clientside = Object.assign({}, window.dash_clientside);
window.dash_clientside.atlas_table = {
    refresh: function (gridId) {
        window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
            api.paginationGoToFirstPage();
            api.purgeInfiniteCache();
        });
    },
    /* clientside callback: the search box changed */
    onSearch: function (value, gridId) {
        window.dash_clientside.atlas_table.refresh(gridId);
        return window.dash_clientside.no_update;
    },
};
