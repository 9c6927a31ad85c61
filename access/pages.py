"""The login, logout and user-management pages: plain HTML, inline CSS, no external assets."""

from __future__ import annotations

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; background: #f4f6f8;
       color: #1f2933; margin: 0; }
main { max-width: 26rem; margin: 8vh auto; background: #fff; padding: 2rem 2.25rem;
       border-radius: 8px; box-shadow: 0 2px 10px rgba(0,0,0,.08); }
main.wide { max-width: 56rem; }
h1 { font-size: 1.35rem; margin: 0 0 1.25rem; }
label { display: block; margin: .75rem 0 .25rem; font-size: .95rem; }
input, select { width: 100%; box-sizing: border-box; padding: .5rem .6rem; font-size: 1rem;
                border: 1px solid #c5cdd5; border-radius: 4px; }
button { margin-top: 1.25rem; padding: .55rem 1.4rem; font-size: 1rem; border: 0;
         border-radius: 4px; background: #1d5fa7; color: #fff; cursor: pointer; }
button.secondary { background: #8a96a3; margin-top: 0; padding: .3rem .8rem; }
.error { background: #fdecea; color: #a12622; padding: .6rem .8rem; border-radius: 4px; }
.note { color: #52606d; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e4e7eb; }
form.inline { display: inline; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0 .75rem; }
"""

_HEAD = (
    """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · 武汉市任务地图</title><style>"""
    + STYLE
    + """</style></head>"""
)

LOGIN = (
    _HEAD
    + """<body><main id="login">
<h1>登录 · 武汉市任务地图</h1>
{% if message %}<p class="error" id="login-error">{{ message }}</p>{% endif %}
{% if signed_out %}<p class="note" id="signed-out">您已退出登录。</p>{% endif %}
<form method="post" action="{{ url_for('access.login') }}">
  <input type="hidden" name="next" value="{{ next }}">
  <label for="name">用户名</label>
  <input id="name" name="name" autocomplete="username" maxlength="64" required
         value="{{ name }}" autofocus>
  <label for="password">密码</label>
  <input id="password" name="password" type="password" autocomplete="current-password"
         maxlength="1024" required>
  <button id="login-submit" type="submit">登录</button>
</form>
{% if required %}<p class="note">本站仅供内部使用，请登录后查看。</p>
{% else %}<p class="note">只读浏览无需登录；填报、修改进度和管理用户需要相应权限。</p>{% endif %}
</main></body></html>"""
)

LOGOUT = (
    _HEAD
    + """<body><main id="logout">
<h1>退出登录</h1>
{% if name %}<p>当前用户：{{ name }}。</p>{% else %}<p>当前未登录。</p>{% endif %}
<form method="post" action="{{ url_for('access.logout') }}">
  <button id="logout-submit" type="submit">退出</button>
</form>
</main></body></html>"""
)

USERS = (
    _HEAD
    + """<body><main class="wide" id="admin-users">
<h1>用户管理</h1>
<p class="note">当前用户：{{ me }}（管理员）。<a href="/">返回地图</a> ·
<a href="{{ url_for('access.logout') }}">退出登录</a></p>
{% if message %}<p class="error">{{ message }}</p>{% endif %}
<table id="user-table"><thead><tr>
<th>用户名</th><th>角色</th><th>牵头单位</th><th>状态</th><th>创建时间（UTC）</th><th></th>
</tr></thead><tbody>
{% for u in users %}<tr>
<td>{{ u.name }}</td><td>{{ labels[u.role] }}</td><td>{{ u.unit or "—" }}</td>
<td>{{ "启用" if u.active else "已停用" }}</td>
<td>{{ u.created_at.strftime("%Y-%m-%d %H:%M") }}</td>
<td>{% if u.active %}<form class="inline" method="post"
  action="{{ url_for('access_admin.disable_user', name=u.name) }}">
  <button class="secondary" type="submit">停用</button></form>{% endif %}</td>
</tr>{% endfor %}
</tbody></table>
<h2>新增用户</h2>
<form method="post" action="{{ url_for('access_admin.add_user') }}"><div class="grid">
<div><label for="new-name">用户名</label>
<input id="new-name" name="name" maxlength="64" required></div>
<div><label for="new-role">角色</label><select id="new-role" name="role">
{% for role, label in labels.items() %}
<option value="{{ role.value }}">{{ label }}</option>{% endfor %}
</select></div>
<div><label for="new-unit">牵头单位（仅填报人）</label>
<input id="new-unit" name="unit" maxlength="200"></div>
<div><label for="new-password">初始密码</label>
<input id="new-password" name="password" type="password" autocomplete="new-password"
       minlength="8" maxlength="1024" required></div>
</div><button type="submit">新增</button></form>
</main></body></html>"""
)
