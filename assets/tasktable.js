/* A server-paged grid's refresh (dashboard/task_table.py, dashboard/progress_grid.py via
 * grid_request.refresh_script): back to the first page, pages dropped, so the grid asks the
 * server for its first page at once. The map's task table is also refreshed by the page's URL
 * sync (assets/urlsync.js) when the filters change: from there its request leaves with the
 * map's, in one round (issue 13). */
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
