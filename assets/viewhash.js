/* The 对比 and 进度 views' URL-hash bookkeeping in the browser (issue 13). Each function here
 * mirrors the one of the same name in dashboard/viewhash.py (which says why); the test
 * tests/browser/test_viewhash_browser.py runs both on the same cases. An answer is an object of what changes;
 * the callbacks at the end turn a missing key into Dash's no_update. */
(function () {
    const COMPARE_HASH = "#compare";
    const PROGRESS_HASH = "#progress";
    const NOTICE_CHARS = 20;
    const MAX_TASK_ID = 64;
    const SAME_PLAN_NOTICE = "请选择两份不同的计划进行对比";
    const QUARTER = /^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$/;
    const QUARTER_ZH = /^\s*(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度\s*$/;
    const ZH_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"};

    const owns = (prefix, fragment) => {
        const text = fragment || "";
        return Boolean(prefix) && (text === prefix || text.startsWith(prefix + "?"));
    };
    /* Non-blank values per key, as Python's parse_qs. */
    const queryValues = (prefix, fragment) => {
        const text = fragment || "";
        const out = {};
        if (!text.startsWith(prefix + "?")) {
            return out;
        }
        for (const [key, value] of new URLSearchParams(text.slice(prefix.length + 1))) {
            if (value !== "") {
                (out[key] = out[key] || []).push(value);
            }
        }
        return out;
    };
    const quoted = (value) => "“" + Array.from(value).slice(0, NOTICE_CHARS).join("") + "”";
    /* urlencode(pairs), character for character (assets/urlsync.js has Python's quote_plus) */
    const encode = (pairs) => {
        const quote = window.dash_clientside.atlas_url.quotePlus;
        return pairs.map(([k, v]) => quote(k) + "=" + quote(v)).join("&");
    };
    const sameList = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
    const sameState = (a, b) => Boolean(a) && Boolean(b)
        && ["from_plan", "to_plan", "place", "task"].every((k) => a[k] === b[k])
        && Object.keys(b).length === 4;
    const lastOf = (query, key) => (query[key] ? query[key][query[key].length - 1] : null);

    /* --- 对比 ------------------------------------------------------------------------------ */
    const parseCompare = function (fragment, config) {
        const query = queryValues(COMPARE_HASH, fragment);
        const notices = [];
        const plans = {};
        for (const [key, label, field] of [
            ["from", "对比起点", "from_plan"], ["to", "对比终点", "to_plan"],
        ]) {
            let value = lastOf(query, key);
            if (value !== null && !config.plans.includes(value)) {
                notices.push("未知" + label + "计划" + quoted(value) + "，已使用默认值");
                value = null;
            }
            plans[key] = value || config.default[field];
        }
        let place = lastOf(query, "place");
        if (place !== null && !config.places.includes(place)) {
            notices.push("未知地点" + quoted(place) + "，已忽略");
            place = null;
        }
        let task = lastOf(query, "task");
        if (task !== null && Array.from(task).length > MAX_TASK_ID) {
            notices.push("未知任务" + quoted(task) + "，已忽略");
            task = null;
        }
        return [{from_plan: plans.from, to_plan: plans.to, place: place, task: task}, notices];
    };
    const compareHash = function (state) {
        const pairs = [["from", state.from_plan], ["to", state.to_plan]];
        for (const key of ["place", "task"]) {
            if (state[key]) {
                pairs.push([key, state[key]]);
            }
        }
        return COMPARE_HASH + "?" + encode(pairs);
    };
    const clickedPlace = function (click) {
        const points = click && typeof click === "object" ? click.points : null;
        const first = Array.isArray(points) && points.length ? points[0] : null;
        let value = first && typeof first === "object" ? first.customdata : null;
        if (Array.isArray(value) && value.length) {
            value = value[0];
        }
        return typeof value === "string" ? value : null;
    };
    const compareSync = function (config, trigger, value, fragment, picked, current) {
        if (trigger === null || trigger === "hash") {
            if (!owns(COMPARE_HASH, fragment)) {
                return {};
            }
            const [state, notices] = parseCompare(fragment, config);
            const out = {notice: notices.join("；")};
            if (!sameState(state, current)) {
                out.state = state;
            }
            if (state.from_plan !== picked[0]) {
                out.from = state.from_plan;
            }
            if (state.to_plan !== picked[1]) {
                out.to = state.to_plan;
            }
            return out;
        }
        const base = current && Object.keys(current).length
            ? Object.assign({}, current) : parseCompare(null, config)[0];
        let state = Object.assign({}, base);
        if (trigger === "from" || trigger === "to") {
            const fromPlan = picked[0] || base.from_plan;
            const toPlan = picked[1] || base.to_plan;
            if (fromPlan === toPlan) {
                return {from: base.from_plan, to: base.to_plan, notice: SAME_PLAN_NOTICE};
            }
            state = {from_plan: fromPlan, to_plan: toPlan, place: base.place, task: null};
        } else if (trigger === "map") {
            const place = clickedPlace(value);
            state.place = place === base.place ? null : place;
        } else if (trigger === "clear") {
            state.place = null;
        } else if (trigger === "task") {
            const [index, clicks] = value;
            if (!clicks || typeof index !== "string") {
                return {};
            }
            state.task = index;
        } else {
            return {};
        }
        const out = {notice: ""};
        if (!sameState(state, current)) {
            out.state = state;
        }
        if (compareHash(state) !== fragment) {
            out.hash = compareHash(state);
        }
        return out;
    };

    /* --- 进度 ------------------------------------------------------------------------------ */
    const quarterText = function (text) {
        const match = QUARTER.exec(text) || QUARTER_ZH.exec(text);
        if (!match || Number(match[1]) < 1990 || Number(match[1]) > 2100) {
            return null;
        }
        return match[1] + "Q" + (ZH_DIGITS[match[2]] || match[2]);
    };
    const parseProgress = function (fragment, quarters, statuses) {
        const query = queryValues(PROGRESS_HASH, fragment);
        const latest = quarters.length ? quarters[quarters.length - 1] : null;
        const notices = [];
        let quarter = latest;
        if (query.quarter) {
            const text = lastOf(query, "quarter");
            const named = quarterText(text);
            if (named === null) {
                notices.push("无效的季度" + quoted(text) + "，已使用最新季度");
            } else if (!quarters.includes(named)) {
                notices.push(named + " 没有报送数据，已使用最新季度");
            } else {
                quarter = named;
            }
        }
        const asked = query.status || [];
        const chosen = asked.filter((s) => statuses.includes(s));
        if (chosen.length < asked.length) {
            notices.push("未知状态已忽略");
        }
        return [quarter, chosen, notices];
    };
    const progressHash = function (quarter, statuses) {
        const pairs = (quarter ? [["quarter", quarter]] : []).concat(
            statuses.map((s) => ["status", s]));
        return PROGRESS_HASH + (pairs.length ? "?" + encode(pairs) : "");
    };
    const progressSync = function (config, trigger, fragment, quarter, statuses, quarters) {
        if (trigger === "quarter" || trigger === "status") {
            if (!owns(PROGRESS_HASH, fragment)) {  // a control mounting, not the user
                return {};
            }
            const written = progressHash(quarter, statuses || []);
            return written === fragment ? {} : {hash: written};
        }
        if (quarters === null || quarters === undefined) {
            return {};
        }
        const out = trigger === "hash" ? {} : {options: quarters.slice()};
        if (!owns(PROGRESS_HASH, fragment)) {
            return out;
        }
        const [chosenQuarter, chosen, notices] = parseProgress(
            fragment, quarters, config.statuses);
        if (chosenQuarter !== quarter) {
            out.quarter = chosenQuarter;
        }
        if (!sameList(chosen, statuses || [])) {
            out.statuses = chosen;
        }
        out.notice = notices.join("；");
        return out;
    };

    const rules = {compareSync, progressSync, parseCompare, parseProgress, quarterText};

    /* --- the callbacks (dashboard/compare_view.py, dashboard/progress_view.py) ------------- */
    const answer = (out, keys) => keys.map(
        (k) => (k in out ? out[k] : window.dash_clientside.no_update));
    /* [name, value] of what fired (the names of dashboard/viewhash.py): of several at once
     * (page load), the first in `order`; [null, null] for Dash's initial call. */
    const triggerOf = function (ids, order) {
        const fired = [];
        for (const t of window.dash_clientside.callback_context.triggered || []) {
            const id = (t.prop_id || ".").slice(0, (t.prop_id || ".").lastIndexOf("."));
            if (id.startsWith("{")) {  // a pattern-matching id: a task button
                fired.push(["task", [JSON.parse(id).index, t.value]]);
            } else if (ids[id]) {
                fired.push([ids[id], t.value]);
            }
        }
        fired.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
        return fired.length ? fired[0] : [null, null];
    };
    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.atlas_views = {
        rules: rules,
        compareSync: function (fragment, fromPlan, toPlan, click, _tasks, _clear, current, config) {
            const [trigger, value] = triggerOf(
                config.ids, ["hash", "from", "to", "map", "clear", "task"]);
            const out = compareSync(
                config, trigger, trigger === "map" ? click : value, fragment,
                [fromPlan, toPlan], current);
            return answer(out, ["state", "hash", "from", "to", "notice"]);
        },
        progressSync: function (fragment, quarter, statuses, quarters, config) {
            const [trigger] = triggerOf(config.ids, ["quarters", "hash", "quarter", "status"]);
            const out = progressSync(config, trigger, fragment, quarter, statuses, quarters);
            return answer(out, ["options", "quarter", "statuses", "notice", "hash"]);
        },
    };
})();
