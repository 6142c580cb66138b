/* Audit page of feedback-nlp: a small front end over the public API (no libraries, no CDN).
   The API key is asked once per browser session and kept in sessionStorage. */
(function () {
  "use strict";
  var KEY = "feedback-nlp.api-key";
  var body = document.body;
  var root = body.dataset.root || "";
  var codes = JSON.parse(document.getElementById("codes").textContent);
  var indicatorNames = {}, indicatorGroups = {}, sourceNames = {};
  codes.indicators.forEach(function (i) { indicatorNames[i.code] = i.name; indicatorGroups[i.code] = i.group; });
  codes.sources.forEach(function (s) { sourceNames[s.code] = s.name; });
  var POLARITY = { "-1": "негативная", "0": "нейтральная", "1": "позитивная" };
  var ROLE = { analyst: "аналитик", methodologist: "методист", admin: "администратор", region_operator: "оператор региона" };
  var READERS = ["analyst", "methodologist", "admin"];
  var who = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function status(text, isError) {
    var s = $("status");
    s.textContent = text || "";
    s.className = isError ? "status error" : "status";
  }
  function fmtDate(iso) {
    if (!iso) return "—";
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleDateString("ru-RU");
  }
  function signed(x) { return (x > 0 ? "+" : x < 0 ? "−" : "") + Math.abs(x).toFixed(2); }
  function pct(x) { return x === null || x === undefined ? "—" : Math.round(100 * x) + "%"; }
  function polarityClass(p) { return p < 0 ? "neg" : p > 0 ? "pos" : "neu"; }

  function api(path, options) {
    options = options || {};
    var headers = { "X-API-Key": sessionStorage.getItem(KEY) || "" };
    if (options.json !== undefined) headers["Content-Type"] = "application/json";
    return fetch(root + path, {
      method: options.method || "GET", headers: headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : undefined
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = text ? JSON.parse(text) : null;
        if (response.status === 401) { sessionStorage.removeItem(KEY); showLogin("Ключ не принят: " + (data && data.detail || "")); }
        if (!response.ok) {
          var error = new Error(data && data.detail ? data.detail : "HTTP " + response.status);
          error.status = response.status; error.problem = data;
          throw error;
        }
        return data;
      });
    });
  }

  /* ---- key, once per browser session ---- */
  function showLogin(message) {
    $("app").hidden = true; $("login").hidden = false; $("who").hidden = true; $("logout").hidden = true;
    var e = $("login-error"); e.textContent = message || ""; e.hidden = !message;
    $("api-key").focus();
  }
  function start() {
    if (!sessionStorage.getItem(KEY)) { showLogin(); return; }
    api("/audit/api/whoami").then(function (me) {
      who = me;
      $("login").hidden = true; $("app").hidden = false;
      $("who").textContent = (me.name || "ключ") + " · " + (ROLE[me.role] || me.role);
      $("who").hidden = false; $("logout").hidden = false;
      if (READERS.indexOf(me.role) < 0) { status("Роль «" + (ROLE[me.role] || me.role) + "» не может просматривать отзывы.", true); return; }
      ({ list: listPage, item: itemPage, agreement: agreementPage }[body.dataset.page])();
    }).catch(function (e) { if (e.status !== 401) status("Ошибка: " + e.message, true); });
  }
  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("api-key").value.trim());
    $("api-key").value = "";
    start();
  });
  $("logout").addEventListener("click", function () { sessionStorage.removeItem(KEY); location.reload(); });

  /* ---- evidence highlighting: the text cut at every span boundary ---- */
  function segments(text, spans) {
    var good = spans.filter(function (s) { return s.start >= 0 && s.start < s.end && s.end <= text.length; });
    var cuts = [0, text.length];
    good.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    var out = [];
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], inds = [];
      good.forEach(function (s) { if (s.start <= a && b <= s.end && inds.indexOf(s.indicator) < 0) inds.push(s.indicator); });
      out.push({ text: text.slice(a, b), indicators: inds });
    }
    return out;
  }
  function highlighted(text, aspects) {
    var spans = [];
    aspects.forEach(function (a) { (a.evidence || []).forEach(function (s) { spans.push({ start: s.start, end: s.end, indicator: a.indicator }); }); });
    var frag = document.createDocumentFragment();
    segments(text, spans).forEach(function (seg) {
      if (!seg.indicators.length) { frag.appendChild(document.createTextNode(seg.text)); return; }
      frag.appendChild(el("mark", { className: "ev g-" + indicatorGroups[seg.indicators[0]], "data-indicators": seg.indicators.join(" "),
                                    title: seg.indicators.map(function (c) { return c + " " + indicatorNames[c]; }).join("; "), text: seg.text }));
    });
    return frag;
  }

  function fillSelect(select, options) {
    options.forEach(function (o) { select.appendChild(el("option", { value: o.value, text: o.label })); });
  }

  /* ---- list ---- */
  function listPage() {
    var form = $("filters"), params = new URLSearchParams(location.search);
    var cursor = null, shown = 0;
    fillSelect($("f-indicator"), codes.indicators.map(function (i) { return { value: i.code, label: i.code + " " + i.name }; }));
    api("/audit/api/facets").then(function (f) {
      fillSelect($("f-region"), f.regions.map(function (r) { return { value: r, label: r }; }));
      fillSelect($("f-source"), f.source_kinds.map(function (k) { return { value: k, label: sourceNames[k] || k }; }));
      var centers = f.centers;
      function refreshCenters() {
        var region = $("f-region").value, select = $("f-center"), keep = select.value;
        while (select.options.length > 1) select.remove(1);
        fillSelect(select, centers.filter(function (c) { return !region || c.region === region; })
          .map(function (c) { return { value: c.center_id, label: c.center_id }; }));
        select.value = keep;
        if (select.value !== keep) select.value = "";
      }
      $("f-region").addEventListener("change", refreshCenters);
      ["region", "center", "source_kind", "indicator", "polarity", "min_confidence", "period", "q"].forEach(function (name) {
        if (params.get(name) !== null && form.elements[name]) {
          form.elements[name].value = params.get(name);
          if (name === "region") refreshCenters();
        }
      });
      load(true);
    }).catch(function (e) { status("Ошибка: " + e.message, true); });

    function query() {
      var q = new URLSearchParams();
      ["region", "center", "source_kind", "indicator", "polarity", "period", "q"].forEach(function (name) {
        var v = form.elements[name].value.trim();
        if (v) q.set(name, name === "period" ? v.toUpperCase() : v);
      });
      return q;
    }
    function minConfidence() { var v = parseFloat(form.elements.min_confidence.value); return isNaN(v) ? 0 : v; }
    function passes(item) {
      var min = minConfidence();
      if (!min) return true;
      var p = item.prediction, ind = form.elements.indicator.value, pol = form.elements.polarity.value;
      if (!p) return false;
      return (p.aspects || []).some(function (a) {
        return (!ind || a.indicator === ind) && (pol === "" || String(a.polarity) === pol) && a.confidence >= min;
      });
    }
    function row(item) {
      var p = item.prediction, chips = el("td", { className: "chips" });
      if (!p) chips.appendChild(el("span", { className: "muted", text: "не классифицирован" }));
      else if (!p.relevant) chips.appendChild(el("span", { className: "muted", text: "не о службе занятости" }));
      else (p.aspects || []).forEach(function (a) {
        chips.appendChild(el("span", { className: "chip " + polarityClass(a.polarity), title: indicatorNames[a.indicator] + ": " + POLARITY[a.polarity],
                                       "data-indicator": a.indicator, text: a.indicator + " " + signed(a.sentiment) + " (" + a.confidence.toFixed(2) + ")" }));
      });
      var snippet = item.text.length > 220 ? item.text.slice(0, 220) + "…" : item.text;
      return el("tr", { "data-id": item.id }, [
        el("td", { text: fmtDate(item.created_at) }),
        el("td", { text: (item.region || "—") + " / " + (item.center_id || "—") }),
        el("td", { text: sourceNames[item.source_kind] || item.source_kind }),
        el("td", {}, [el("a", { href: root + "/audit/items/" + item.id, className: "open", text: snippet })]),
        chips]);
    }
    function load(fresh) {
      var tbody = $("items").tBodies[0], q = query(), wanted = 50, got = 0, requests = 0;
      if (fresh) { tbody.textContent = ""; cursor = null; shown = 0; }
      status("Загрузка…");
      function page() {
        var pq = new URLSearchParams(q); pq.set("limit", "50");
        if (cursor) pq.set("cursor", cursor);
        requests++;
        return api("/v1/feedback?" + pq.toString()).then(function (data) {
          data.items.filter(passes).forEach(function (item) { tbody.appendChild(row(item)); got++; shown++; });
          cursor = data.next_cursor;
          if (cursor && got < wanted && requests < 10) return page();
        });
      }
      page().then(function () {
        $("empty").hidden = shown > 0; $("more").hidden = !cursor;
        status("Показано: " + shown);
      }).catch(function (e) { status("Ошибка: " + e.message, true); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = query(); if (minConfidence()) q.set("min_confidence", String(minConfidence()));
      history.replaceState(null, "", location.pathname + (q.toString() ? "?" + q.toString() : ""));
      load(true);
    });
    form.addEventListener("reset", function () { setTimeout(function () { history.replaceState(null, "", location.pathname); load(true); }, 0); });
    $("more").addEventListener("click", function () { load(false); });
  }

  /* ---- one item ---- */
  function itemPage() {
    var id = body.dataset.item;
    function render(item) {
      var p = item.prediction, aspects = p && p.relevant ? p.aspects || [] : [];
      var meta = $("meta"); meta.textContent = "";
      [["Регион", item.region || "не определён"], ["Центр", item.center_id || "не определён"],
       ["Источник", (sourceNames[item.source_kind] || item.source_kind) + " · " + item.source],
       ["Дата", fmtDate(item.created_at)], ["Дубликат", item.duplicate_of || "нет"]].forEach(function (kv) {
        meta.appendChild(el("dt", { text: kv[0] })); meta.appendChild(el("dd", { text: kv[1] }));
      });
      var text = $("text"); text.textContent = ""; text.appendChild(highlighted(item.text, aspects));
      var legend = $("legend"); legend.textContent = "";
      legend.appendChild(el("button", { type: "button", className: "toggle active", "data-indicator": "", text: "все" }));
      aspects.forEach(function (a) {
        legend.appendChild(el("button", { type: "button", className: "toggle g-" + a.group, "data-indicator": a.indicator, title: indicatorNames[a.indicator], text: a.indicator }));
      });
      $("model").textContent = p ? "Модель: " + p.model + " · отзыв " + (p.relevant ? "о службе занятости" : "не о службе занятости") +
        " (" + p.relevance.toFixed(2) + ") · общая тональность " + signed(p.sentiment) : "Отзыв ещё не классифицирован.";
      var tbody = $("aspects").tBodies[0]; tbody.textContent = "";
      aspects.forEach(function (a) {
        var ev = el("td", { className: "evidence" });
        (a.evidence || []).forEach(function (s, n) { if (n) ev.appendChild(document.createTextNode(", ")); ev.appendChild(el("q", { text: s.text })); });
        tbody.appendChild(el("tr", { "data-indicator": a.indicator, className: polarityClass(a.polarity) }, [
          el("td", { title: indicatorNames[a.indicator] }, [el("b", { text: a.indicator }), " " + indicatorNames[a.indicator]]),
          el("td", { text: codes.groups[a.group] || a.group }),
          el("td", { text: POLARITY[a.polarity] + " (" + signed(a.sentiment) + ")" }),
          el("td", { text: a.confidence.toFixed(2) }), ev,
          el("td", { className: "rule", text: a.source || "—" })]));
      });
      $("no-aspects").hidden = aspects.length > 0;
      $("no-aspects").textContent = p ? "Модель не нашла показателей." : "Нет прогноза модели.";
      var list = $("corrections"); list.textContent = "";
      (item.corrections || []).forEach(function (c) {
        var labels = c.labels.relevant === false ? "не о службе занятости" :
          (c.labels.labels || []).map(function (l) { return l.indicator + " " + POLARITY[l.polarity]; }).join(", ") || "без показателей";
        list.appendChild(el("li", { "data-id": c.id }, [el("b", { text: fmtDate(c.created_at) + " · " + c.author + ": " }), labels,
                                                        el("span", { className: "muted", text: " — " + (c.reason || "") })]));
      });
      $("no-corrections").hidden = (item.corrections || []).length > 0;
      return aspects;
    }
    $("legend").addEventListener("click", function (event) {
      var button = event.target.closest("button.toggle"); if (!button) return;
      var code = button.dataset.indicator;
      Array.prototype.forEach.call($("legend").children, function (b) { b.classList.toggle("active", b === button); });
      Array.prototype.forEach.call($("text").querySelectorAll("mark.ev"), function (m) {
        m.classList.toggle("dim", !!code && m.dataset.indicators.split(" ").indexOf(code) < 0);
      });
    });
    function labelRow(indicator, polarity) {
      var tr = $("label-row").content.firstElementChild.cloneNode(true);
      var select = tr.querySelector(".l-indicator");
      fillSelect(select, codes.indicators.map(function (i) { return { value: i.code, label: i.code + " " + i.name }; }));
      select.value = indicator || "E1";
      tr.querySelector(".l-polarity").value = String(polarity === undefined ? 0 : polarity);
      tr.querySelector(".l-remove").addEventListener("click", function () { tr.remove(); });
      $("c-labels").tBodies[0].appendChild(tr);
    }
    function prefill(item) {
      var p = item.prediction, last = (item.corrections || []).slice(-1)[0];
      var labels = last ? last.labels : { relevant: p ? p.relevant : true, general: p ? p.general : null,
        labels: (p && p.relevant ? p.aspects : []).map(function (a) { return { indicator: a.indicator, polarity: a.polarity }; }) };
      $("c-relevant").checked = labels.relevant !== false;
      $("c-general").value = labels.general === null || labels.general === undefined ? "" : String(labels.general);
      $("c-labels").tBodies[0].textContent = "";
      (labels.labels || []).forEach(function (l) { labelRow(l.indicator, l.polarity); });
    }
    function load() {
      return api("/v1/feedback/" + id).then(function (item) { render(item); status(""); return item; });
    }
    load().then(function (item) {
      if (who.role === "methodologist" || who.role === "admin") { $("correct").hidden = false; prefill(item); }
    }).catch(function (e) { status(e.status === 404 ? "Отзыв не найден." : "Ошибка: " + e.message, true); });
    $("c-add").addEventListener("click", function () { labelRow(); });
    $("correction-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var rows = $("c-labels").tBodies[0].rows, labels = [];
      for (var i = 0; i < rows.length; i++) {
        labels.push({ indicator: rows[i].querySelector(".l-indicator").value, polarity: parseInt(rows[i].querySelector(".l-polarity").value, 10) });
      }
      var general = $("c-general").value;
      var payload = { relevant: $("c-relevant").checked, general: general === "" ? null : parseInt(general, 10),
                      labels: labels, reason: $("c-reason").value.trim() };
      $("c-submit").disabled = true;
      api("/v1/feedback/" + id + "/corrections", { method: "POST", json: payload }).then(function (saved) {
        $("c-result").textContent = "Исправление сохранено (№ " + saved.id + ").";
        $("c-result").className = "ok";
        $("c-reason").value = "";
        return load();
      }).catch(function (e) {
        $("c-result").textContent = "Не сохранено: " + e.message; $("c-result").className = "error";
      }).then(function () { $("c-submit").disabled = false; });
    });
  }

  /* ---- agreement ---- */
  function agreementPage() {
    api("/audit/api/agreement").then(function (doc) {
      $("summary").textContent = doc.items ? "Сравнено отзывов: " + doc.items + " · совпадение «о службе / не о службе»: " +
        pct(doc.relevance_agreement) + " · полное совпадение разметки: " + pct(doc.exact_agreement) : "Исправлений пока нет.";
      var tbody = $("agreement").tBodies[0]; tbody.textContent = "";
      doc.indicators.forEach(function (r) {
        tbody.appendChild(el("tr", { "data-indicator": r.indicator }, [
          el("td", { text: r.indicator }), el("td", { text: indicatorNames[r.indicator] }),
          el("td", { className: "num", text: String(r.model) }), el("td", { className: "num", text: String(r.corrected) }),
          el("td", { className: "num", text: String(r.both) }), el("td", { className: "num", text: pct(r.precision) }),
          el("td", { className: "num", text: pct(r.recall) }), el("td", { className: "num", text: pct(r.f1) }),
          el("td", { className: "num", text: pct(r.polarity_agreement) }), el("td", { className: "num", text: pct(r.presence_agreement) })]));
      });
      status("");
    }).catch(function (e) { status("Ошибка: " + e.message, true); });
  }

  start();
})();
