/* URL ↔ filter controls, kept in step in the browser (issue 13: no server round trip, so the
 * map's answer and the task table's page go out together). Mirrors dashboard/urlstate.py
 * (parse_query, to_query, sync_url); the rules come from the page as data (browser_spec), and
 * the tests compare both sides over the same queries. */
(function () {
    const SAFE = /[!'()*]/g;  // encodeURIComponent leaves these; Python's quote_plus does not

    /* urllib.parse.quote_plus(s, safe=""): UTF-8, upper-case hex, space as "+". */
    function quotePlus(s) {
        return encodeURIComponent(s)
            .replace(SAFE, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
            .replace(/%20/g, "+");
    }

    /* urllib.parse.unquote(s.replace("+", " ")): runs of %XX decoded as UTF-8 with
     * replacement characters; a "%" not followed by two hex digits stays as it is. */
    function unquotePlus(s) {
        const decoder = new TextDecoder("utf-8");
        return s.replace(/\+/g, " ").replace(/(?:%[0-9A-Fa-f]{2})+/g, function (run) {
            const bytes = run.slice(1).split("%").map((h) => parseInt(h, 16));
            return decoder.decode(Uint8Array.from(bytes));
        });
    }

    /* urllib.parse.parse_qs(search.lstrip("?")): key → values in order of first appearance;
     * blank values and pairs without "=" are left out. */
    function parseQs(search) {
        const query = new Map();
        for (const pair of (search || "").replace(/^\?+/, "").split("&")) {
            const at = pair.indexOf("=");
            if (at < 0 || at === pair.length - 1) {
                continue;
            }
            const key = unquotePlus(pair.slice(0, at));
            if (!query.has(key)) {
                query.set(key, []);
            }
            query.get(key).push(unquotePlus(pair.slice(at + 1)));
        }
        return query;
    }

    function format(template, values) {
        return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
    }

    /* str.strip() and len() count code points, not UTF-16 units. */
    function points(s) {
        return Array.from(s);
    }

    /* fieldkinds.*.from_url: the field's value (as Filters holds it) from its URL values. */
    function fromUrl(field, values, notices, words) {
        const last = values.length ? values[values.length - 1] : null;
        switch (field.kind) {
            case "many": {
                const allowed = new Set(field.allowed);
                const bad = values.filter((v) => !allowed.has(v));
                if (bad.length) {
                    notices.push(format(words.unknown, {label: field.label, values: bad.join(words.list)}));
                }
                return Array.from(new Set(values.filter((v) => allowed.has(v))));
            }
            case "one":
                if (last !== null && !field.allowed.includes(last)) {
                    notices.push(format(words.unknown, {label: field.label, values: last}));
                    return null;
                }
                return last;
            case "choice":
                if (last === null) {
                    return field.default;
                }
                if (!field.allowed.includes(last)) {
                    notices.push(format(words.invalid, {label: field.label, value: last}));
                    return field.default;
                }
                return last;
            case "text": {
                const text = points((last || "").trim());
                if (text.length > field.limit) {
                    notices.push(format(words.cut, {label: field.label, limit: field.limit}));
                }
                return text.slice(0, field.limit).join("");
            }
            case "flag":
                if (last !== null && last !== "0" && last !== "1") {
                    notices.push(format(words.invalid, {label: field.label, value: last}));
                    return true;
                }
                return last === null || last !== "0";
        }
        throw new Error("unknown field kind " + field.kind);
    }

    /* fieldkinds.*.to_url */
    function toUrl(field, value) {
        switch (field.kind) {
            case "many":
                return value.slice();
            case "one":
                return value ? [value] : [];
            case "choice":
                return value === field.default ? [] : [value];
            case "text":
                return value.trim() ? [value.trim()] : [];
            case "flag":
                return value ? [] : ["0"];
        }
        throw new Error("unknown field kind " + field.kind);
    }

    /* fieldkinds.*.to_control / from_control (without the checks: the server makes them). */
    function toControl(field, value) {
        return field.kind === "flag" ? (value ? [field.on] : []) : value;
    }

    function fromControl(field, value) {
        switch (field.kind) {
            case "many":
                return Array.from(new Set(value || []));
            case "one":
                return value === "" || value === undefined ? null : value;
            case "choice":
                return value === "" || value === null || value === undefined ? field.default : value;
            case "text":
                return (value || "").trim();
            case "flag":
                return Array.isArray(value) && value.length > 0;
        }
        throw new Error("unknown field kind " + field.kind);
    }

    /* urlstate.parse_query: [state (field name → value), notices] */
    function parseQuery(search, spec) {
        const query = parseQs(search);
        const words = spec.notices;
        const known = new Set(spec.fields.map((f) => f.key));
        const notices = [];
        const unknown = Array.from(query.keys()).filter((k) => !known.has(k));
        if (unknown.length) {
            notices.push(format(words.unknown_keys, {keys: unknown.join(words.list)}));
        }
        const state = {};
        for (const field of spec.fields) {
            state[field.name] = fromUrl(field, query.get(field.key) || [], notices, words);
        }
        return [state, notices];
    }

    /* urlstate.to_query */
    function toQuery(state, spec) {
        const pairs = [];
        for (const field of spec.fields) {
            for (const value of toUrl(field, state[field.name])) {
                pairs.push(quotePlus(field.key) + "=" + quotePlus(value));
            }
        }
        return pairs.length ? "?" + pairs.join("&") : "";
    }

    function defaults(spec) {
        return parseQuery("", spec)[0];
    }

    /* urlstate.sync_url as a clientside callback: inputs (search, 清除全部筛选's clicks, then
     * each field's control in browser_spec order), state the spec; outputs each control, the
     * search and the notice. Whenever the filters may have changed (not on page load: the
     * tables ask for their first page as they mount), the page's tables go back to their
     * first page from here, so their page requests leave with the map's. */
    function syncUrl(search, clear, ...rest) {
        const spec = rest[rest.length - 1];
        const values = rest.slice(0, -1);
        const noUpdate = window.dash_clientside.no_update;
        const ctx = window.dash_clientside.callback_context;
        const fired = (ctx.triggered || []).map((t) => t.prop_id).filter((p) => p && p !== ".");
        const byField = spec.fields.map((f) => noUpdate);
        if (fired.length) {
            (spec.refresh || []).forEach((grid) => window.dash_clientside.atlas_table.refresh(grid));
        }
        const controls = (state) => spec.fields.map((f) => toControl(f, state[f.name]));
        if (fired.includes(spec.clear)) {
            return [...controls(defaults(spec)), "", ""];
        }
        const fromControls = fired.length > 0 && fired.every((p) => spec.controls.includes(p));
        if (!fromControls) {  // page load, back/forward, a pasted link
            const [parsed, notices] = parseQuery(search, spec);
            const fixed = toQuery(parsed, spec);
            const notice = notices.length ? spec.notices.lead + notices.join(spec.notices.sep) : "";
            return [...controls(parsed), fixed !== (search || "") ? fixed : noUpdate, notice];
        }
        const state = {};
        spec.fields.forEach((f, i) => { state[f.name] = fromControl(f, values[i]); });
        const query = toQuery(state, spec);
        return [...byField, query !== (search || "") ? query : noUpdate, noUpdate];
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.atlas_url = {syncUrl, parseQuery, toQuery, quotePlus, unquotePlus};
})();
