/// The dashboard page: one HTML document with its CSS, JavaScript and SVG chart inline, so it
/// needs nothing from any other server. The script fetches `/api/dashboard.json` every
/// ``refreshMilliseconds`` and renders it; what needs attention is shown first, in red.
enum DashboardPage {
    /// How often the page fetches the snapshot.
    static let refreshMilliseconds = 2000

    static let bytes: [UInt8] = Array(html.utf8)

    static let html: String = head + style + body + "<script>\nconst REFRESH_MS = \(refreshMilliseconds);\n" + script + "</script>\n</body>\n</html>\n"

    private static let head = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Wharf dashboard</title>

    """#

    private static let style = #"""
    <style>
    :root { --bg:#f4f6f9; --card:#fff; --ink:#1c2430; --muted:#667085; --line:#e3e7ee; --ok:#1f9d55; --bad:#d92d20;
            --warn:#dc8a00; --blue:#2563eb; --orange:#ea7a12; --head:#111827; }
    * { box-sizing: border-box; }
    body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; color:var(--ink); background:var(--bg); }
    header { background:var(--head); color:#fff; padding:12px 24px; display:flex; align-items:center; gap:16px; }
    header h1 { font-size:18px; margin:0; letter-spacing:.5px; }
    header .meta { margin-left:auto; font-size:12px; color:#cbd5e1; display:flex; align-items:center; gap:8px; }
    .dot { width:9px; height:9px; border-radius:50%; background:#64748b; display:inline-block; }
    .dot.live { background:#22c55e; } .dot.stale { background:var(--bad); }
    main { padding:16px 24px 32px; max-width:1400px; margin:0 auto; }
    section { background:var(--card); border:1px solid var(--line); border-radius:8px; margin:0 0 16px; padding:14px 16px; }
    section h2 { font-size:15px; margin:0 0 10px; display:flex; align-items:baseline; gap:10px; }
    section h2 .sub { font-size:12px; color:var(--muted); font-weight:normal; }
    #attention.bad { border-color:#f4b4ae; background:#fff5f4; }
    #attention.bad h2 { color:var(--bad); }
    #attention.good h2 { color:var(--ok); }
    .alert { display:flex; gap:10px; padding:6px 10px; border-radius:6px; margin:4px 0; }
    .alert.critical { background:#fde8e6; color:#8f1d14; border-left:4px solid var(--bad); }
    .alert.warning { background:#fff4e0; color:#7a4d00; border-left:4px solid var(--warn); }
    .alert .subject { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; white-space:nowrap; }
    .tiles { display:flex; flex-wrap:wrap; gap:12px; }
    .tile { border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:200px; }
    .tile .name { font-weight:600; }
    .tile .figures { display:flex; gap:14px; margin-top:4px; color:var(--muted); font-size:12px; }
    .tile .figures b { color:var(--ink); font-size:16px; display:block; }
    table { width:100%; border-collapse:collapse; }
    th { text-align:left; font-size:11px; text-transform:uppercase; letter-spacing:.4px; color:var(--muted); font-weight:600; padding:6px 8px; border-bottom:1px solid var(--line); }
    td { padding:6px 8px; font-size:13px; border-bottom:1px solid var(--line); vertical-align:top; }
    tr:last-child td { border-bottom:none; }
    td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
    .mono { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; }
    .muted { color:var(--muted); }
    .pill { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; background:#e5e7eb; color:#374151; }
    .pill.ok { background:#dcfce7; color:#14532d; } .pill.bad { background:#fee2e2; color:#991b1b; }
    .pill.warn { background:#fef3c7; color:#78350f; } .pill.info { background:#dbeafe; color:#1e3a8a; }
    tr.failing td { background:#fff5f4; } tr.failing td:first-child { box-shadow: inset 4px 0 0 var(--bad); }
    .group { margin-bottom:14px; } .group:last-child { margin-bottom:0; }
    .group-head { display:flex; flex-wrap:wrap; align-items:baseline; gap:18px; margin-bottom:6px; }
    .group-head .name { font-weight:700; font-size:15px; }
    .group-head .fig { color:var(--muted); font-size:12px; } .group-head .fig b { color:var(--ink); font-size:14px; }
    .strip { display:inline-flex; gap:2px; vertical-align:middle; }
    .strip span { width:10px; height:16px; border-radius:2px; display:inline-block; }
    .strip .pass { background:var(--ok); } .strip .fail { background:var(--bad); }
    .deploy { font-size:12px; margin:2px 0; }
    .events { font-size:12px; color:var(--muted); margin:0; padding-left:16px; }
    .chart-wrap { margin-bottom:8px; }
    .chart-title { font-size:13px; font-weight:600; margin:4px 0; }
    .legend { display:flex; gap:16px; font-size:12px; color:var(--muted); margin:2px 0 6px; }
    .legend i { display:inline-block; width:14px; height:3px; vertical-align:middle; margin-right:5px; }
    svg.chart { width:100%; height:auto; display:block; }
    svg.chart text { font-size:11px; fill:#667085; }
    .empty { color:var(--muted); font-style:italic; }
    .grid2 { display:grid; grid-template-columns: 1fr; gap:16px; }
    </style>
    </head>

    """#

    private static let body = #"""
    <body>
    <header><h1>Wharf</h1><span style="color:#94a3b8">clusters · services · tasks · load balancer · autoscaling</span>
    <span class="meta"><span id="status-dot" class="dot"></span><span id="status">loading…</span></span></header>
    <main>
    <section id="attention"><h2>Attention</h2><div id="alerts" class="empty">loading…</div></section>
    <section id="clusters"><h2>Clusters</h2><div id="cluster-tiles" class="tiles"></div></section>
    <section id="charts"><h2>Request rate and tasks <span class="sub">last hour</span></h2><div id="chart-list"></div></section>
    <section id="target-groups"><h2>Target groups</h2><div id="group-list"></div></section>
    <section id="services"><h2>Services</h2><div id="service-table"></div></section>
    <section id="tasks"><h2>Tasks</h2><div id="task-table"></div></section>
    <section id="scaling"><h2>Autoscaling activities</h2><div id="activity-table"></div></section>
    </main>

    """#

    private static let script = #"""
    "use strict";
    const $ = (id) => document.getElementById(id);
    const esc = (v) => String(v === undefined || v === null ? "" : v).replace(/[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
    const fmt = (n, d) => (n === undefined || n === null) ? "–" : Number(n).toFixed(d === undefined ? 1 : d);
    function ms(v) { if (v === undefined || v === null) return "–"; return v >= 100 ? v.toFixed(0) + " ms" : v.toFixed(1) + " ms"; }
    /** A percentile of a latency summary, or a dash when its window has no sample. */
    function pct(l, key) { return l && l.count ? ms(l[key]) : "–"; }
    function clock(t) { return t ? new Date(t * 1000).toLocaleTimeString([], { hour12: false }) : "–"; }
    function ago(now, t) {
      if (!t) return "–";
      let s = Math.max(0, Math.round(now - t));
      if (s < 60) return s + "s";
      if (s < 3600) return Math.floor(s / 60) + "m " + (s % 60) + "s";
      if (s < 86400) return Math.floor(s / 3600) + "h " + Math.floor((s % 3600) / 60) + "m";
      return Math.floor(s / 86400) + "d " + Math.floor((s % 86400) / 3600) + "h";
    }
    function pill(text, kind) { return `<span class="pill ${kind}">${esc(text)}</span>`; }
    function statePill(state) {
      const kind = { healthy: "ok", unavailable: "ok", unhealthy: "bad", initial: "info", draining: "warn", unused: "" }[state];
      return pill(state, kind === undefined ? "" : kind);
    }
    function statusPill(status) {
      const kind = { RUNNING: "ok", ACTIVE: "ok", HEALTHY: "ok", COMPLETED: "ok", Successful: "ok", PRIMARY: "info",
        PENDING: "info", PROVISIONING: "info", ACTIVATING: "info", IN_PROGRESS: "info", InProgress: "info", Pending: "info",
        STOPPED: "", DEPROVISIONING: "warn", STOPPING: "warn", DEACTIVATING: "warn", DRAINING: "warn",
        UNHEALTHY: "bad", FAILED: "bad", Failed: "bad", Unfulfilled: "warn", UNKNOWN: "" }[status];
      return pill(status, kind === undefined ? "" : kind);
    }
    function table(headers, rows) {
      if (!rows.length) return '<div class="empty">none</div>';
      return "<table><thead><tr>" + headers.map((h) => h.startsWith("#") ? `<th class="num">${esc(h.slice(1))}</th>` : `<th>${esc(h)}</th>`).join("")
        + "</tr></thead><tbody>" + rows.join("") + "</tbody></table>";
    }

    function renderAlerts(s) {
      const box = $("attention");
      if (!s.alerts.length) {
        box.className = "good";
        box.querySelector("h2").textContent = "All healthy";
        $("alerts").className = "empty";
        $("alerts").textContent = "No failing targets, every service at its desired count.";
        return;
      }
      const critical = s.alerts.filter((a) => a.severity === "critical").length;
      box.className = critical ? "bad" : "";
      box.querySelector("h2").textContent = critical ? `Attention: ${critical} failing` : "Attention";
      $("alerts").className = "";
      $("alerts").innerHTML = s.alerts.map((a) =>
        `<div class="alert ${esc(a.severity)}"><span class="subject">${esc(a.subject)}</span><span>${esc(a.message)}</span></div>`).join("");
    }

    function renderClusters(s) {
      $("cluster-tiles").innerHTML = s.clusters.length ? s.clusters.map((c) => `<div class="tile cluster">
        <div class="name">${esc(c.name)} ${statusPill(c.status)}</div>
        <div class="figures"><span><b>${c.activeServices}</b>services</span><span><b>${c.runningTasks}</b>running</span>
        <span><b>${c.pendingTasks}</b>pending</span><span><b>${c.containerInstances}</b>instances</span></div></div>`).join("")
        : '<div class="empty">no clusters</div>';
    }

    function niceScale(v, minimum) {
      // A round top value and the tick step that divides it into 4 or 5 parts.
      const top0 = Math.max(v, minimum);
      const p = Math.pow(10, Math.floor(Math.log10(top0))), m = top0 / p;
      const lead = m <= 1 ? 1 : m <= 2 ? 2 : m <= 4 ? 4 : m <= 5 ? 5 : 10;
      const top = lead * p;
      return { top, step: top / (lead === 2 || lead === 4 ? 4 : 5) };
    }
    function label(v) { return Math.abs(v - Math.round(v)) < 1e-9 ? String(Math.round(v)) : v.toFixed(1); }
    function chartSVG(chart, now) {
      const W = 960, H = 230, L = 52, R = 44, T = 12, B = 26, w = W - L - R, h = H - T - B;
      const pts = chart.points;
      const span = 3600, start = now - span;
      const x = (t) => L + Math.max(0, Math.min(1, (t - start) / span)) * w;
      const rps = niceScale(Math.max(0, ...pts.map((p) => p.requestsPerSecond)) * 1.1, 1);
      const tasksTop = Math.max(0, ...pts.map((p) => Math.max(p.runningTasks || 0, p.desiredTasks || 0)));
      const tasks = tasksTop < 5 ? { top: Math.max(2, tasksTop + 1), step: 1 } : niceScale(tasksTop * 1.2, 5);
      const rpsMax = rps.top, taskMax = tasks.top;
      const yr = (v) => T + h - (v / rpsMax) * h, yt = (v) => T + h - (v / taskMax) * h;
      let g = "";
      for (let v = 0; v <= rpsMax + 1e-9; v += rps.step) {
        const y = yr(v);
        g += `<line x1="${L}" x2="${L + w}" y1="${y}" y2="${y}" stroke="#eef1f5"/>`;
        g += `<text x="${L - 6}" y="${y + 4}" text-anchor="end">${label(v)}</text>`;
      }
      for (let v = 0; v <= taskMax + 1e-9; v += tasks.step) {
        const y = yt(v);
        g += `<line x1="${L + w}" x2="${L + w + 4}" y1="${y}" y2="${y}" stroke="#ea7a12"/>`;
        g += `<text x="${L + w + 8}" y="${y + 4}">${label(v)}</text>`;
      }
      for (let m = 0; m <= 60; m += 10) {
        const xx = L + (m / 60) * w;
        g += `<line x1="${xx}" x2="${xx}" y1="${T}" y2="${T + h}" stroke="#f3f5f8"/>`;
        g += `<text x="${xx}" y="${H - 8}" text-anchor="middle">${m === 60 ? "now" : "-" + (60 - m) + "m"}</text>`;
      }
      g += `<text x="12" y="${T + h / 2}" transform="rotate(-90 12 ${T + h / 2})" text-anchor="middle">req/s</text>`;
      g += `<text x="${W - 8}" y="${T + h / 2}" transform="rotate(90 ${W - 8} ${T + h / 2})" text-anchor="middle">tasks</text>`;
      let area = "", line = "", run = "", desired = "";
      if (pts.length) {
        const step = chart.stepSeconds;
        line = pts.map((p, i) => `${i ? "L" : "M"}${x(p.time + step).toFixed(1)},${yr(p.requestsPerSecond).toFixed(1)}`).join("");
        area = `M${x(pts[0].time + step).toFixed(1)},${T + h}` + line.replace(/^M/, "L") + `L${x(pts[pts.length - 1].time + step).toFixed(1)},${T + h}Z`;
        const stepPath = (key) => {
          let d = "", prev = null;
          for (const p of pts) {
            const v = p[key];
            if (v === undefined || v === null) { prev = null; continue; }
            const xx = x(p.time + step).toFixed(1), yy = yt(v).toFixed(1);
            d += prev === null ? `M${x(p.time).toFixed(1)},${yy}L${xx},${yy}` : `L${x(p.time).toFixed(1)},${yy}L${xx},${yy}`;
            prev = v;
          }
          return d;
        };
        run = stepPath("runningTasks");
        desired = stepPath("desiredTasks");
      }
      return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="request rate and task count, ${esc(chart.service)}">
        ${g}<path d="${area}" fill="rgba(37,99,235,.12)"/><path class="rps" d="${line}" fill="none" stroke="#2563eb" stroke-width="1.6"/>
        <path class="desired" d="${desired}" fill="none" stroke="#ea7a12" stroke-width="1.2" stroke-dasharray="4 3" opacity=".7"/>
        <path class="running" d="${run}" fill="none" stroke="#ea7a12" stroke-width="2.2"/>
        <rect x="${L}" y="${T}" width="${w}" height="${h}" fill="none" stroke="#e3e7ee"/></svg>`;
    }
    function renderCharts(s) {
      $("chart-list").innerHTML = s.charts.length ? s.charts.map((c) => {
        const last = c.points.length ? c.points[c.points.length - 1] : null;
        return `<div class="chart-wrap"><div class="chart-title">${esc(c.service)} <span class="muted">via target group ${esc(c.targetGroup)}</span></div>
          <div class="legend"><span><i style="background:#2563eb"></i>requests/s${last ? " (" + fmt(last.requestsPerSecond) + ")" : ""}</span>
          <span><i style="background:#ea7a12"></i>running tasks${last && last.runningTasks !== undefined ? " (" + last.runningTasks + ")" : ""}</span>
          <span><i style="background:repeating-linear-gradient(90deg,#ea7a12 0 4px,transparent 4px 7px)"></i>desired</span></div>
          ${chartSVG(c, s.generatedAt)}</div>`;
      }).join("") : '<div class="empty">no service behind the load balancer yet</div>';
    }

    function strip(checks) {
      if (!checks.length) return '<span class="muted">no checks yet</span>';
      return '<span class="strip">' + checks.map((c) => {
        const tip = `${clock(c.time)}  ${c.detail}` + (c.latencyMilliseconds !== undefined ? `  ${ms(c.latencyMilliseconds)}` : "");
        return `<span class="${c.passed ? "pass" : "fail"}" title="${esc(tip)}"></span>`;
      }).join("") + "</span>";
    }
    function groupFailing(g) { return g.targets.some((t) => t.state === "unhealthy"); }
    function renderGroups(s) {
      const groups = s.targetGroups.slice().sort((a, b) => (groupFailing(b) - groupFailing(a)));
      $("group-list").innerHTML = groups.length ? groups.map((g) => {
        const healthy = g.targets.filter((t) => t.state === "healthy" || t.state === "unavailable").length;
        const rows = g.targets.map((t) => `<tr class="target ${t.state === "unhealthy" ? "failing" : ""}">
          <td class="mono">${esc(t.address)}:${t.port}</td><td>${statePill(t.state)}</td>
          <td>${t.reason ? `<span class="mono">${esc(t.reason)}</span><div class="muted" style="font-size:12px">${esc(t.description || "")}</div>` : '<span class="muted">–</span>'}</td>
          <td>${strip(t.recentChecks)}</td><td class="num">${fmt(t.requestsPerSecond)}</td>
          <td class="num">${pct(t.responseTime, "p50")}</td><td class="num">${pct(t.responseTime, "p90")}</td><td class="num">${pct(t.responseTime, "p99")}</td>
          <td class="num muted">${ago(s.generatedAt, t.lastStateChange)}</td></tr>`);
        return `<div class="group${groupFailing(g) ? " failing-group" : ""}"><div class="group-head"><span class="name">${esc(g.name)}</span>
          <span class="fig"><b>${healthy}/${g.targets.length}</b> healthy</span>
          <span class="fig"><b>${fmt(g.requestsPerSecond)}</b> req/s (10 s)</span><span class="fig"><b>${fmt(g.requestsPerSecondLastMinute)}</b> req/s (1 min)</span>
          <span class="fig">p50 <b>${pct(g.responseTime, "p50")}</b></span><span class="fig">p90 <b>${pct(g.responseTime, "p90")}</b></span>
          <span class="fig">p99 <b>${pct(g.responseTime, "p99")}</b></span><span class="fig"><b>${g.serverErrorsTotal}</b> 5xx of ${g.requestsTotal}</span></div>
          ${table(["Target", "State", "Reason", "Recent checks", "#req/s", "#p50", "#p90", "#p99", "#in state"], rows)}</div>`;
      }).join("") : '<div class="empty">no target groups</div>';
    }

    function serviceBad(s, svc) {
      return s.alerts.some((a) => a.severity === "critical" && a.subject === `service/${svc.cluster}/${svc.name}`);
    }
    function renderServices(s) {
      const list = s.services.slice().sort((a, b) => (serviceBad(s, b) - serviceBad(s, a)) || ((b.runningCount < b.desiredCount) - (a.runningCount < a.desiredCount)));
      const rows = list.map((svc) => {
        const short = svc.runningCount < svc.desiredCount;
        const deployments = svc.deployments.map((d) => `<div class="deploy">${statusPill(d.status)} <span class="mono">${esc(d.taskDefinition)}</span>
          ${d.runningCount}/${d.desiredCount} running, ${d.pendingCount} pending${d.failedTasks ? `, <b style="color:var(--bad)">${d.failedTasks} failed</b>` : ""}
          ${statusPill(d.rolloutState)}${d.rolloutStateReason ? ` <span class="muted">${esc(d.rolloutStateReason)}</span>` : ""}</div>`).join("");
        const events = svc.events.slice(0, 4).map((e) => `<li>${clock(e.createdAt)} ${esc(e.message)}</li>`).join("");
        return `<tr class="service ${serviceBad(s, svc) ? "failing" : ""}"><td><b>${esc(svc.name)}</b><div class="muted">${esc(svc.cluster)}</div></td>
          <td>${statusPill(svc.status)}</td>
          <td class="num"><b>${svc.desiredCount}</b></td><td class="num" style="${short ? "color:var(--warn);font-weight:700" : ""}">${svc.runningCount}</td><td class="num">${svc.pendingCount}</td>
          <td class="mono">${esc(svc.taskDefinition)}</td><td>${deployments || '<span class="muted">–</span>'}</td>
          <td>${events ? `<ul class="events">${events}</ul>` : '<span class="muted">–</span>'}</td></tr>`;
      });
      $("service-table").innerHTML = table(["Service", "Status", "#Desired", "#Running", "#Pending", "Task definition", "Deployments", "Recent events"], rows);
    }

    function renderTasks(s) {
      const rank = (t) => (t.lastStatus === "RUNNING" && t.healthStatus === "UNHEALTHY") ? 0 : t.lastStatus === "STOPPED" ? 2 : 1;
      const list = s.tasks.slice().sort((a, b) => rank(a) - rank(b));
      const rows = list.map((t) => {
        const exits = t.containers.filter((c) => c.exitCode !== undefined || c.reason)
          .map((c) => `${esc(c.name)}: ${c.exitCode !== undefined ? "exit " + c.exitCode : ""}${c.reason ? " " + esc(c.reason) : ""}`).join("<br>");
        const ended = [t.stopCode ? `<span class="mono">${esc(t.stopCode)}</span>` : "", esc(t.stoppedReason || ""), exits].filter((x) => x).join("<br>");
        const uptime = t.startedAt ? ago(t.stoppedAt || s.generatedAt, t.startedAt) : "–";
        return `<tr class="task ${rank(t) === 0 ? "failing" : ""}"><td class="mono">${esc(t.id.slice(0, 12))}</td><td>${esc(t.service || "–")}</td>
          <td>${statusPill(t.lastStatus)}</td><td>${statusPill(t.healthStatus)}</td><td class="mono">${esc(t.ipAddress || "–")}</td>
          <td class="num">${uptime}</td><td class="mono">${esc(t.taskDefinition)}</td><td>${ended || '<span class="muted">–</span>'}</td></tr>`;
      });
      $("task-table").innerHTML = table(["Task", "Service", "Last status", "Health", "IP", "#Uptime", "Task definition", "Stopped reason / exit"], rows);
    }

    function renderActivities(s) {
      const rows = s.scalingActivities.map((a) => `<tr class="activity"><td class="muted">${clock(a.startTime)}</td><td class="mono">${esc(a.resourceId)}</td>
        <td>${esc(a.description)}</td><td>${statusPill(a.statusCode)}${a.statusMessage ? ` <span class="muted">${esc(a.statusMessage)}</span>` : ""}</td>
        <td class="muted" style="font-size:12px">${esc(a.cause)}</td></tr>`);
      $("activity-table").innerHTML = table(["Started", "Resource", "Activity", "Status", "Cause"], rows);
    }

    function render(s) {
      renderAlerts(s); renderClusters(s); renderCharts(s); renderGroups(s); renderServices(s); renderTasks(s); renderActivities(s);
    }

    async function refresh() {
      try {
        const response = await fetch("/api/dashboard.json", { cache: "no-store" });
        if (!response.ok) throw new Error("HTTP " + response.status);
        const snapshot = await response.json();
        render(snapshot);
        $("status-dot").className = "dot live";
        $("status").textContent = "updated " + clock(snapshot.generatedAt);
      } catch (error) {
        $("status-dot").className = "dot stale";
        $("status").textContent = "cannot reach Wharf: " + error.message;
      } finally {
        setTimeout(refresh, REFRESH_MS);
      }
    }
    refresh();

    """#
}
