"""Templates of the write pages (报表上传, 修改状态, 操作记录): plain HTML, inline CSS only."""

from __future__ import annotations

from access.pages import _HEAD

_NAV = """<p class="note">当前用户：{{ me }}。<a href="/">返回地图</a> ·
<a href="{{ url_for('access.logout') }}">退出登录</a></p>"""

_PROBLEMS = """{% if problems %}<table id="problem-table"><thead><tr>
<th>文件</th><th>行</th><th>列</th><th>问题</th></tr></thead><tbody>
{% for p in problems %}<tr><td>{{ p.file }}</td><td>{{ p.row or "—" }}</td>
<td>{{ p.column or "—" }}</td><td>{{ p.reason }}</td></tr>{% endfor %}
</tbody></table>{% endif %}"""

RETURNS = (
    _HEAD
    + """<body><main class="wide" id="returns">
<h1>上传季度报表</h1>"""
    + _NAV
    + """
{% if message %}<p class="error" id="returns-error">{{ message }}</p>{% endif %}
{% if done %}<div id="returns-done"><p>已导入：</p><ul>
{% for line in done %}<li>{{ line }}</li>{% endfor %}</ul></div>{% endif %}
{% if checked %}<h2>检查结果（尚未保存）</h2>
<table id="file-table"><thead><tr><th>文件</th><th>填报单位</th><th>任务行</th><th>结果</th>
</tr></thead><tbody>{% for f in checked %}<tr><td>{{ f.name }}</td><td>{{ f.unit or "—" }}</td>
<td>{{ f.rows }}</td><td>{{ f.verdict }}</td></tr>{% endfor %}</tbody></table>
"""
    + _PROBLEMS
    + """
{% if importable %}<form method="post" action="{{ url_for('access_writes.confirm_returns') }}">
<input type="hidden" name="token" value="{{ token }}">
<p>季度：{{ quarter }}。确认后，没有问题的文件将被导入（有问题的文件不会导入）。</p>
<button id="returns-confirm" type="submit">确认导入</button></form>
{% else %}<p class="error" id="returns-nothing">没有可以导入的文件：请按上表修改后重新上传。</p>
{% endif %}{% endif %}
<h2>{{ "重新上传" if checked else "选择报表" }}</h2>
<form method="post" enctype="multipart/form-data"
      action="{{ url_for('access_writes.upload_returns') }}">
<label for="quarter">季度（如 2024Q2）</label>
<input id="quarter" name="quarter" maxlength="16" required value="{{ quarter }}">
<label for="files">报表文件（.xlsx，最多 {{ max_files }} 个，合计不超过 {{ max_mb }} MB）</label>
<input id="files" name="files" type="file" accept=".xlsx" multiple required>
<button id="returns-upload" type="submit">上传并检查</button>
</form>
<p class="note">报表模板由 task-atlas progress template 生成。上传后先检查、再确认，
确认前不会保存任何内容。{% if unit %}您只能提交{{ unit }}牵头任务的报表。{% endif %}</p>
</main></body></html>"""
)

STATUS = (
    _HEAD
    + """<body><main class="wide" id="status-edit">
<h1>修改任务状态</h1>"""
    + _NAV
    + """
<p><b>{{ task_id }}</b> {{ text }}</p><p class="note">季度：{{ quarter }}；牵头单位：
{{ leads|join("、") }}</p>
{% if message %}<p class="error" id="status-error">{{ message }}</p>{% endif %}
{% if saved %}<p id="status-saved">已保存。</p>{% endif %}
{% if current %}<table id="status-current"><thead><tr><th>单位</th><th>状态</th><th>进度</th>
<th>填报人</th><th>来源</th></tr></thead><tbody>{% for r in current %}<tr><td>{{ r.unit }}</td>
<td>{{ r.status }}</td><td>{{ r.percent }}</td><td>{{ r.entered_by }}</td><td>{{ r.source }}</td>
</tr>{% endfor %}</tbody></table>{% endif %}
<form method="post">
<input type="hidden" name="quarter" value="{{ quarter }}">
<div class="grid">
<div><label for="unit">单位</label><select id="unit" name="unit">
{% for u in units %}<option value="{{ u }}">{{ u }}</option>{% endfor %}</select></div>
<div><label for="status">完成状态</label><select id="status" name="status">
{% for s in statuses %}<option value="{{ s }}">{{ s }}</option>{% endfor %}</select></div>
<div><label for="percent">完成进度（%）</label>
<input id="percent" name="percent" maxlength="6" inputmode="decimal"></div>
</div>
<label for="reason">修改原因（必填）</label>
<input id="reason" name="reason" maxlength="300" required>
<button id="status-submit" type="submit">保存</button>
</form></main></body></html>"""
)

AUDIT = (
    _HEAD
    + """<body><main class="wide" id="audit">
<h1>操作记录</h1>"""
    + _NAV
    + """
<form method="get"><div class="grid">
<div><label for="quarter">季度</label><input id="quarter" name="quarter" maxlength="16"
 value="{{ quarter }}"></div>
<div><label for="unit">单位</label><input id="unit" name="unit" maxlength="200"
 value="{{ unit }}"></div></div>
<button type="submit">筛选</button>
<a id="audit-csv" href="{{ url_for('access_writes.audit_csv', quarter=quarter, unit=unit) }}">
导出 CSV</a></form>
<p class="note">共 {{ rows|length }} 条{% if truncated %}（仅显示最新 {{ rows|length }} 条，
完整记录请导出 CSV）{% endif %}。记录只增不改。</p>
<table id="audit-table"><thead><tr>{% for c in columns %}<th>{{ c }}</th>{% endfor %}
</tr></thead><tbody>{% for r in rows %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></main></body></html>"""
)

BADGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body { margin: 0; font: 13px "Noto Sans CJK SC", sans-serif; color: #52606d;
       text-align: right; white-space: nowrap; overflow: hidden; }
a { color: #1d5fa7; margin-left: .5em; }
</style></head><body id="account-badge">{% if name %}
<span id="badge-name">{{ name }}（{{ role }}）</span>
{%- for href, label in links %}<a href="{{ href }}" target="_top">{{ label }}</a>{% endfor %}
<a href="{{ url_for('access.logout') }}" target="_top">退出</a>
{% else %}<a id="badge-login" href="{{ url_for('access.login') }}" target="_top">登录</a>
{% endif %}</body></html>"""
