"""``consent log report --html FILE``: consent rates over time, charted with Plotly (``asgi-consent[report]``).

One self-contained file (Plotly's script inlined, no network needed to open it): the daily accept, reject and
custom rates as lines over the number of decisions per day as bars, then tables by locale and region.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from .._log.stats import Stats, Tally, by_size, percent

COLOURS = {"accept": "#1a7f37", "reject": "#cf222e", "custom": "#8250df"}
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; }}
h1 {{ font-size: 1.6rem; margin-bottom: 0; }}
p.meta {{ color: #59636e; margin-top: .25rem; }}
.summary {{ display: flex; gap: 2rem; margin: 1rem 0; }}
.summary div {{ font-size: 1.9rem; font-weight: 600; }}
.summary span {{ display: block; font-size: .85rem; font-weight: 400; color: #59636e; }}
table {{ border-collapse: collapse; margin: .5rem 2rem 1.5rem 0; display: inline-table; vertical-align: top; }}
th, td {{ padding: .25rem .75rem; text-align: right; border-bottom: 1px solid #d1d9e0; }}
th:first-child, td:first-child {{ text-align: left; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{where} &middot; {period} &middot; generated {now} UTC</p>
<div class="summary">{summary}</div>
{chart}
{tables}
</body>
</html>
"""


def _figure(stats: Stats) -> Any:
    from plotly import graph_objects as go
    from plotly.subplots import make_subplots

    days = sorted(stats.days)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=days, y=[stats.days[d].decisions for d in days], name="decisions", marker_color="#d1d9e0"),
        secondary_y=False,  # the bars on the first axis, so that the rates' lines are drawn over them
    )
    for kind, colour in COLOURS.items():
        rates = [stats.days[d].rate(kind) for d in days]
        fig.add_trace(
            go.Scatter(
                x=days,
                y=[None if r is None else round(r * 100, 1) for r in rates],
                name=f"{kind} rate",
                mode="lines+markers",
                line={"color": colour, "width": 2.5},
            ),
            secondary_y=True,
        )
    fig.update_layout(
        title="Consent rates per day (UTC)",
        template="plotly_white",
        height=460,
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 60, "r": 60, "t": 60, "b": 40},
        hovermode="x unified",
    )
    fig.update_yaxes(title_text="decisions per day", rangemode="tozero", tickformat=",d", secondary_y=False)
    fig.update_yaxes(
        title_text="share of choices (%)",
        range=[0, 100],
        tickvals=[0, 20, 40, 60, 80, 100],
        showgrid=False,
        secondary_y=True,
    )
    fig.update_xaxes(type="category" if len(days) < 2 else "date")
    return fig


def _table(title: str, first: str, groups: list[tuple[str, Tally]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{t.decisions}</td><td>{percent(t.rate('accept'))}</td>"
        f"<td>{percent(t.rate('reject'))}</td><td>{percent(t.rate('custom'))}</td><td>{t.withdraw}</td></tr>"
        for name, t in groups
    )
    return (
        f"<table><caption><strong>{escape(title)}</strong></caption><tr><th>{escape(first)}</th><th>decisions</th>"
        f"<th>accept</th><th>reject</th><th>custom</th><th>withdraw</th></tr>{rows}</table>"
    )


def report(stats: Stats, title: str, where: str) -> str:
    """The report page as HTML text."""
    try:
        fig = _figure(stats)
    except ImportError:
        from .log_args import UsageError

        raise UsageError("the HTML report needs Plotly: pip install 'asgi-consent[report]'") from None
    chart = fig.to_html(full_html=False, include_plotlyjs=True, config={"displaylogo": False, "responsive": True})
    days = sorted(stats.days)
    total = stats.total
    summary = "".join(
        f"<div>{value}<span>{label}</span></div>"
        for value, label in (
            (total.decisions, "decisions"),
            (percent(total.rate("accept")), "accept all"),
            (percent(total.rate("reject")), "reject all"),
            (percent(total.rate("custom")), "custom choice"),
            (total.withdraw, "withdrawals"),
        )
    )
    tables = _table("By locale", "locale", by_size(stats.locales))
    tables += _table("By region", "region", by_size(stats.regions))
    return PAGE.format(
        title=escape(title),
        where=escape(where),
        period=f"{days[0]} to {days[-1]}" if days else "no decisions",
        now=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        summary=summary,
        chart=chart,
        tables=tables,
    )
