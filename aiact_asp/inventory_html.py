"""An inventory as one self-contained HTML page: inline CSS and JavaScript, no network.

The table is written out in the HTML itself (readable without JavaScript and in print); a
small script adds sorting (click a column heading) and filtering (text, risk class, role,
AI-system status; a click on a total filters on it). The print style sheet hides the
controls, prints landscape, repeats the heading row on every page and keeps rows whole.
"""

from __future__ import annotations

import html
import json

from .engine import RISK_ORDER
from .inventory import HANDREIKING_COLUMNS, Inventory, Row, Words, flat_row

_CSS = """
:root{--ink:#1b1f24;--muted:#5b6570;--line:#d5dbe1;--head:#eef2f6;--hr:#fbeee6;--accent:#154273}
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);margin:0;background:#fff}
header{background:var(--accent);color:#fff;padding:14px 20px}
header h1{margin:0;font-size:20px;font-weight:600}
header p{margin:4px 0 0;opacity:.9}
main{padding:14px 20px 28px}
.summary{display:flex;flex-wrap:wrap;gap:14px;margin:0 0 14px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:250px}
.card h2{font-size:13px;margin:0 0 6px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}
.card table{border-collapse:collapse;width:100%}
.card td{padding:2px 4px;border:0}
.card td.n{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.card tr.pick{cursor:pointer}
.card tr.pick:hover td{background:var(--head)}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:0 0 10px;padding:10px;background:var(--head);border-radius:6px}
.controls label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
.controls input,.controls select{font:inherit;padding:4px 6px;border:1px solid #aab4be;border-radius:4px;background:#fff;min-width:170px;max-width:280px}
.controls input{min-width:260px}
.controls .count{margin-left:auto;font-size:13px;color:var(--muted);align-self:center}
.controls button{font:inherit;padding:4px 10px;border:1px solid #aab4be;border-radius:4px;background:#fff;cursor:pointer}
.wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table.inv{border-collapse:collapse;width:100%;min-width:1200px}
table.inv th,table.inv td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
table.inv thead th{position:sticky;top:0;background:var(--head);font-size:12px;font-weight:600;cursor:pointer;user-select:none;vertical-align:bottom;min-width:70px}
table.inv thead th.hr{background:var(--hr)}
table.inv thead th[aria-sort=ascending]::after{content:" ▲";font-size:10px}
table.inv thead th[aria-sort=descending]::after{content:" ▼";font-size:10px}
table.inv tbody tr:nth-child(even){background:#fafbfc}
table.inv tbody tr:hover{background:#f1f6fb}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.desc{min-width:220px;max-width:320px}
table.inv .badge{white-space:normal}
td.risk{min-width:150px;max-width:220px}
td.desc div{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
td.desc:hover div{-webkit-line-clamp:unset}
.id{display:block;font-size:11px;color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
.rc-prohibited{background:#b3261e;color:#fff}
.rc-high_risk{background:#e8710a;color:#fff}
.rc-limited_risk{background:#f6d55c;color:#3d3000}
.rc-minimal_risk{background:#3c9d5d;color:#fff}
.rc-gpai_model,.rc-gpai_model_systemic_risk{background:#5e4fa2;color:#fff}
.rc-out_of_scope{background:#8a949e;color:#fff}
.rc-not_ai_system{background:#e3e7eb;color:#3b444c}
.rc-undetermined{background:#fff;color:#7a4d00;border:1px dashed #c98a00}
.possible{display:block;font-size:11px;color:var(--muted);margin-top:2px}
.g{display:block;font-size:12px}
td.grounds{min-width:140px;max-width:240px}
td.labels{min-width:190px}
.g b{font-weight:600;color:var(--muted)}
.chip{display:inline-block;font-size:11px;padding:0 6px;margin:1px 2px 1px 0;border-radius:8px;background:#e8eef5;white-space:nowrap}
.chip.maybe{background:#fff;border:1px dashed #9aa7b4}
.q0{color:var(--muted)}
section.failed{margin-top:18px}
section.failed h2,section.about h2{font-size:15px;margin:0 0 6px}
section.failed li{margin:2px 0}
section.failed code{font-size:12px}
section.about{margin-top:18px;font-size:12px;color:var(--muted)}
.hidden{display:none}
@media print{
  @page{size:A4 landscape;margin:10mm}
  body{font-size:8.5pt}
  header{background:#fff;color:#000;padding:0 0 6px;border-bottom:2px solid #000}
  main{padding:6px 0}
  .controls{display:none}
  .wrap{overflow:visible;border:0}
  table.inv{min-width:0;width:100%;font-size:7pt;table-layout:fixed}
  table.inv th,table.inv td{min-width:0 !important;max-width:none !important;overflow-wrap:break-word}
  table.inv thead th{font-size:6.5pt}
  th[data-key=name]{width:11%} th[data-key=register_id]{width:6%} th[data-key=description]{width:19%}
  th[data-key=process]{width:7%} th[data-key=risk_classification]{width:8%} th[data-key=role]{width:8%}
  th[data-key=vendor]{width:6%} th[data-key=status]{width:5%} th[data-key=ai_system]{width:5%}
  th[data-key=scope]{width:6%} th[data-key=grounds]{width:8%} th[data-type=number]{width:3%}
  th[data-key=labels]{width:10%}
  .badge{font-size:6.5pt;padding:0 4px}
  .card{font-size:7.5pt;min-width:0;padding:4px 8px}
  .card .badge{font-size:7pt}
  .chip{font-size:6pt;padding:0 3px;white-space:normal;overflow-wrap:anywhere}
  .g{font-size:6.5pt}
  .id{font-size:6pt}
  table.inv thead{display:table-header-group}
  table.inv thead th{position:static;background:#eee !important;cursor:default}
  table.inv tr{page-break-inside:avoid;break-inside:avoid}
  table.inv th,table.inv td{padding:3px 4px}
  td.desc div{display:block;-webkit-line-clamp:unset;overflow:visible}
  .badge,.chip,table.inv thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .card{break-inside:avoid}
  .card tr.pick{cursor:default}
}
"""

_JS = """
(function(){
  var table=document.getElementById('inv'),body=table.tBodies[0],rows=[].slice.call(body.rows);
  var q=document.getElementById('q'),risk=document.getElementById('f-risk'),role=document.getElementById('f-role'),
      ai=document.getElementById('f-ai'),count=document.getElementById('count'),reset=document.getElementById('reset');
  function apply(){
    var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean),shown=0;
    rows.forEach(function(tr){
      var text=tr.getAttribute('data-text'),ok=words.every(function(w){return text.indexOf(w)>=0;});
      if(ok&&risk.value)ok=(' '+tr.getAttribute('data-risk')+' ').indexOf(' '+risk.value+' ')>=0;
      if(ok&&role.value)ok=(' '+tr.getAttribute('data-roles')+' ').indexOf(' '+role.value+' ')>=0;
      if(ok&&ai.value)ok=tr.getAttribute('data-ai')===ai.value;
      tr.classList.toggle('hidden',!ok);if(ok)shown++;
    });
    count.textContent=count.getAttribute('data-template').replace('{n}',shown).replace('{total}',rows.length);
  }
  [q,risk,role,ai].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  reset.addEventListener('click',function(){q.value='';risk.value='';role.value='';ai.value='';apply();});
  [].slice.call(document.querySelectorAll('tr.pick')).forEach(function(tr){
    tr.addEventListener('click',function(){
      var target=document.getElementById(tr.getAttribute('data-select'));
      target.value=tr.getAttribute('data-value');apply();table.scrollIntoView({behavior:'smooth'});
    });
  });
  var heads=[].slice.call(table.tHead.rows[0].cells);
  heads.forEach(function(th,i){
    th.addEventListener('click',function(){
      var dir=th.getAttribute('aria-sort')==='ascending'?-1:1,numeric=th.getAttribute('data-type')==='number';
      heads.forEach(function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir===1?'ascending':'descending');
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-sort'),y=b.cells[i].getAttribute('data-sort');
        if(x===null)x=a.cells[i].textContent;if(y===null)y=b.cells[i].textContent;
        var c=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y,undefined,{numeric:true,sensitivity:'base'});
        return c*dir||(+a.getAttribute('data-index'))-(+b.getAttribute('data-index'));
      });
      rows.forEach(function(tr){body.appendChild(tr);});
    });
  });
  apply();
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _risk_rank(name: str) -> int:
    return RISK_ORDER.index(name) if name in RISK_ORDER else len(RISK_ORDER)


def _badge(name: str, words: Words) -> str:
    return f'<span class="badge rc-{_e(name)}">{_e(words.risk_class(name))}</span>'


#: More possible grounds of one kind than this are counted rather than listed (the list is the cell's tooltip).
COMPACT = 3


def _grounds_cell(row: Row, words: Words, lang: str) -> str:
    legal = row.legal
    names = {
        "prohibited": "art. 5" if lang == "nl" else "Art. 5",
        "annex_i": "bijl. I" if lang == "nl" else "Annex I",
        "annex_iii": "bijl. III" if lang == "nl" else "Annex III",
        "derogation": "art. 6, lid 3" if lang == "nl" else "Art. 6(3)",
        "transparency": "art. 50" if lang == "nl" else "Art. 50",
        "systemic_risk": "art. 51" if lang == "nl" else "Art. 51",
    }
    parts = []
    for key in names:
        grounds = getattr(legal, key)
        certain = [g for g in grounds if g.certain]
        maybe = [g for g in grounds if not g.certain]
        shown = certain + (maybe if len(maybe) <= COMPACT else [])
        for g in shown:
            if key == "annex_i":
                text = f"{words.kb_label(g.ground)} ({g.detail})"
            elif key == "derogation":
                text = f"{words.provision(g.ground)} — {words.provision(g.detail, annex='III')}"
            elif key == "annex_iii":
                text = words.provision(g.ground, annex="III")
            else:
                text = words.detail(g)
            mark = "" if g.certain else "?"
            parts.append(f'<span class="g"><b>{_e(names[key])}</b> {_e(text)}{mark}</span>')
        if len(maybe) > COMPACT:  # many possible grounds (few facts answered yet): counted, listed on hover
            listed = "; ".join(words.detail(g) if key not in ("annex_i", "derogation", "annex_iii") else
                               words.provision(g.ground, annex="III") if key == "annex_iii" else
                               (f"{words.kb_label(g.ground)} ({g.detail})" if key == "annex_i" else
                                f"{words.provision(g.ground)} — {words.provision(g.detail, annex='III')}")
                               for g in maybe)
            parts.append(f'<span class="g q0" title="{_e(listed)}"><b>{_e(names[key])}</b> '
                         f'{len(maybe)} {_e(words.word("possible"))}</span>')
    return "".join(parts)


def _chips(grounds, label=lambda g: g.ground, words: Words | None = None) -> str:
    """Chips: the certain ones, and the possible ones (``?``) — counted when there are many."""
    maybe = [g for g in grounds if not g.certain]
    shown = [g for g in grounds if g.certain] + (maybe if len(maybe) <= 2 * COMPACT or words is None else [])
    out = "".join(f'<span class="chip{"" if g.certain else " maybe"}">{_e(label(g))}{"" if g.certain else "?"}</span>'
                  for g in shown)
    if len(shown) < len(grounds):
        listed = ", ".join(label(g) for g in maybe)
        out += f'<span class="chip maybe" title="{_e(listed)}">{len(maybe)} {_e(words.word("possible"))}</span>'
    return out


def to_html(inventory: Inventory, lang: str = "en") -> str:
    """The inventory as one HTML page (UTF-8 text)."""
    words = Words(inventory, lang)
    nl = lang == "nl"
    title = words.word("inventory")
    head_cells = [
        ("name", words.heading("name"), "text", True),
        ("register_id", words.heading("register_id"), "text", True),
        ("description", words.heading("description"), "text", True),
        ("process", words.heading("process"), "text", True),
        ("risk_classification", words.heading("risk_classification"), "text", True),
        ("role", words.heading("role"), "text", True),
        ("vendor", words.heading("vendor"), "text", True),
        ("status", words.heading("status"), "text", True),
        ("ai_system", words.heading("ai_system"), "text", False),
        ("scope", words.heading("scope"), "text", False),
        ("grounds", "Gronden" if nl else "Grounds", "text", False),
        ("obligations_now", "Verpl. nu" if nl else "Oblig. now", "number", False),
        ("obligations_later", "Verpl. later" if nl else "Oblig. later", "number", False),
        ("open_questions", words.heading("open_questions"), "number", False),
        ("labels", "Labels", "text", False),
    ]
    out = ["<!DOCTYPE html>", f'<html lang="{_e(lang)}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)} — {_e(inventory.as_of.isoformat())}</title>",
           '<meta name="generator" content="aiact-asp">', f"<style>{_CSS}</style>", "</head>", "<body>"]
    out.append(f"<header><h1>{_e(title)}</h1><p>{_e(words.word('assessed'))} {_e(inventory.as_of.isoformat())} · "
               f"{len(inventory.rows)} {_e(words.word('systems' if len(inventory.rows) != 1 else 'system'))}"
               + (f" · {len(inventory.failed)} ✗" if inventory.failed else "") + "</p></header>")
    out.append("<main>")

    # totals
    out.append('<div class="summary">')
    out.append(f'<div class="card"><h2>{_e(words.word("totals_risk"))}</h2><table>')
    for name, n in inventory.totals_risk.items():
        out.append(f'<tr class="pick" data-select="f-risk" data-value="{_e(name)}"><td>{_badge(name, words)}</td>'
                   f'<td class="n">{n}</td></tr>')
    out.append(f'<tr><td><b>{_e(words.word("systems"))}</b></td><td class="n">{len(inventory.rows)}</td></tr></table></div>')
    out.append(f'<div class="card"><h2>{_e(words.word("totals_role"))}</h2><table>')
    for role, counts in inventory.totals_role.items():
        extra = f' <span class="q0">(+{counts["undetermined"]}?)</span>' if counts["undetermined"] else ""
        out.append(f'<tr class="pick" data-select="f-role" data-value="{_e(role)}"><td>{_e(words.role(role))}</td>'
                   f'<td class="n">{counts["certain"]}{extra}</td></tr>')
    if not inventory.totals_role:
        out.append(f'<tr><td class="q0">{_e(words.word("role_none"))}</td><td></td></tr>')
    out.append("</table></div></div>")

    # controls
    risk_options = "".join(f'<option value="{_e(k)}">{_e(words.risk_class(k))}</option>'
                           for k in sorted({c for r in inventory.rows for c in r.legal.possible_risk_classes} |
                                           {r.legal.risk_class for r in inventory.rows}, key=_risk_rank))
    role_options = "".join(f'<option value="{_e(k)}">{_e(words.role(k))}</option>' for k in inventory.totals_role)
    ai_options = "".join(f'<option value="{_e(k)}">{_e(words.ai_system(k))}</option>'
                         for k in dict.fromkeys(r.legal.ai_system for r in inventory.rows))
    every = _e(words.word("all"))
    template = ("{n} van {total} getoond" if nl else "{n} of {total} shown")
    out.append('<div class="controls">'
               f'<label>{_e(words.word("filter"))}<input id="q" type="search" placeholder="{"naam, proces, leverancier, grond…" if nl else "name, process, supplier, ground…"}"></label>'
               f'<label>{_e(words.heading("risk_classification"))}<select id="f-risk"><option value="">{every}</option>{risk_options}</select></label>'
               f'<label>{_e(words.heading("role"))}<select id="f-role"><option value="">{every}</option>{role_options}</select></label>'
               f'<label>{_e(words.heading("ai_system"))}<select id="f-ai"><option value="">{every}</option>{ai_options}</select></label>'
               f'<button id="reset" type="button">{"Wis filters" if nl else "Clear filters"}</button>'
               f'<span class="count" id="count" data-template="{_e(template)}"></span></div>')

    # the table
    out.append('<div class="wrap"><table class="inv" id="inv"><thead><tr>')
    for key, label, kind, handreiking in head_cells:
        cls = ' class="hr"' if handreiking else ""
        hint = ' title="Handreiking AI-verordening §2.1"' if handreiking else ""
        out.append(f'<th scope="col" data-key="{key}" data-type="{kind}"{cls}{hint}>{_e(label)}</th>')
    out.append("</tr></thead><tbody>")
    for index, row in enumerate(inventory.rows):
        flat = flat_row(row, words)
        legal = row.legal
        risks = " ".join(dict.fromkeys([legal.risk_class, *legal.possible_risk_classes]))
        roles = " ".join(g.ground for g in legal.roles) or " ".join(row.stated_roles)
        searchable = " ".join(str(v) for v in flat.values()).lower()
        out.append(f'<tr data-index="{index}" data-risk="{_e(risks)}" data-roles="{_e(roles)}" '
                   f'data-ai="{_e(legal.ai_system)}" data-text="{_e(searchable)}">')
        out.append(f'<td data-sort="{_e(row.name or row.id)}"><b>{_e(row.name)}</b><span class="id">{_e(row.id)}</span></td>')
        out.append(f"<td>{_e(row.register_id)}</td>")
        out.append(f'<td class="desc"><div>{_e(row.description)}</div></td>')
        out.append(f"<td>{_e(row.process)}</td>")
        possible = ""
        if legal.risk_class == "undetermined":
            names = ", ".join(words.risk_class(c) for c in legal.possible_risk_classes)
            if len(legal.possible_risk_classes) <= COMPACT:
                possible = f'<span class="possible">{_e(words.word("possible"))}: {_e(names)}</span>'
            else:
                possible = (f'<span class="possible" title="{_e(names)}">{len(legal.possible_risk_classes)} '
                            f'{_e(words.word("possible"))}</span>')
        out.append(f'<td class="risk" data-sort="{_risk_rank(legal.risk_class):02d} {_e(legal.risk_class)}">'
                   f"{_badge(legal.risk_class, words)}{possible}</td>")
        out.append(f"<td>{_chips(legal.roles, lambda g: words.role(g.ground)) if legal.roles else _e(flat['role'])}</td>")
        out.append(f"<td>{_e(row.vendor)}</td>")
        out.append(f"<td>{_e(flat['status'])}</td>")
        out.append(f"<td>{_e(flat['ai_system'])}</td>")
        out.append(f"<td>{_e(flat['scope'])}</td>")
        out.append(f'<td class="grounds">{_grounds_cell(row, words, lang)}</td>')
        for key, extra in (("obligations_now", legal.obligations_now_possible), ("obligations_later", legal.obligations_later_possible),
                           ("open_questions", 0)):
            value = flat[key]
            more = f' <span class="q0" title="{_e(words.word("possible"))}">+{extra}?</span>' if extra else ""
            out.append(f'<td class="num{" q0" if not value and not extra else ""}" data-sort="{value + extra / 1000}">{value}{more}</td>')
        out.append(f'<td class="labels">{_chips(legal.labels, words=words)}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")

    # failures
    out.append(f'<section class="failed"><h2>{_e(words.word("failed"))} ({len(inventory.failed)})</h2>')
    if inventory.failed:
        out.append("<ul>")
        for error in inventory.failed:
            where = f"{error.file}{':' + str(error.line) if error.line else ''}"
            key = f" <code>{_e(error.key)}</code>" if error.key else ""
            out.append(f"<li><code>{_e(where)}</code>{key}: {_e(error.text(lang))}</li>")
        out.append("</ul>")
    else:
        out.append(f"<p>{_e(words.word('none_failed'))}</p>")
    out.append("</section>")
    basis = "open_basis_questions" if inventory.open_basis == "open_questions" else "open_basis_unknown"
    handreiking = ", ".join(words.heading(c) for c in HANDREIKING_COLUMNS)
    out.append(f'<section class="about"><h2>{_e(words.word("about"))}</h2>'
               f"<p>{_e(words.word('legend'))} {_e(words.word(basis))}</p>"
               f"<p>Handreiking AI-verordening §2.1: {_e(handreiking)}.</p>"
               f"<p>{_e(words.word('generated_by'))}.</p></section>")
    out.append("</main>")
    out.append(f"<script>{_JS}</script>")
    out.append('<script type="application/json" id="data">' + json.dumps(
        {"as_of": inventory.as_of.isoformat(), "systems": len(inventory.rows), "failed": len(inventory.failed)}
    ).replace("</", "<\\/") + "</script>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
