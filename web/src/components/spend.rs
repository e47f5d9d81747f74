//! What something has cost, shown the same way for a billing project and for one workspace:
//! the banner, the figures, a chart by day (with its numbers as a table), by category, and the
//! latest events.

use leptos::prelude::*;

use carrel_core::api::{DaySpend, SpendReport};
use carrel_core::billing::format_money;
use carrel_core::costs::{balance_nanos, format_nanos, CostCategory, UsageBanner};

use crate::components::workspace_card::{format_date, format_date_time};

#[component]
pub fn SpendBanner(banner: Option<UsageBanner>) -> impl IntoView {
    banner.map(|banner| {
        let class = match banner {
            UsageBanner::Exhausted => "alert alert--error spend-banner",
            _ => "alert alert--warning spend-banner",
        };
        view! { <p class=class role="status">{banner.message()}</p> }
    })
}

/// Credits, spent and balance for a billing project.
#[component]
pub fn SpendFigures(credits_cents: i64, spend_nanos: i64) -> impl IntoView {
    let balance = balance_nanos(credits_cents, spend_nanos);
    view! {
        <dl class="balance" aria-label="Balance">
            <div><dt>"Credits"</dt><dd>{format_money(credits_cents)}</dd></div>
            <div><dt>"Spent"</dt><dd>{format_nanos(spend_nanos)}</dd></div>
            <div class="balance-left" class:balance-left--empty=balance <= 0>
                <dt>"Balance"</dt><dd>{format_nanos(balance)}</dd>
            </div>
        </dl>
    }
}

fn day_total(day: &DaySpend) -> i64 {
    day.storage_nanos + day.compute_nanos + day.egress_nanos
}

/// Spend by day as stacked bars, the last 30 days with spend; the same numbers in a table
/// below it for screen readers and for exact figures.
#[component]
pub fn SpendChart(days: Vec<DaySpend>) -> impl IntoView {
    if days.is_empty() {
        return view! { <p class="empty-note">"Nothing has been spent yet."</p> }.into_any();
    }
    let shown: Vec<DaySpend> = days.iter().rev().take(30).rev().cloned().collect();
    let highest = shown.iter().map(day_total).max().unwrap_or(1).max(1) as f64;
    let (width, height, gap) = (640.0, 160.0, 4.0);
    let bar = (width / shown.len() as f64 - gap).clamp(6.0, 48.0);
    let bars = shown
        .iter()
        .enumerate()
        .map(|(index, day)| {
            let x = index as f64 * (bar + gap);
            let mut top = height;
            let parts = [
                (day.storage_nanos, "chart-storage"),
                (day.egress_nanos, "chart-egress"),
                (day.compute_nanos, "chart-compute"),
            ];
            let label = format!(
                "{}: {} (storage {}, downloads {}, compute {})",
                format_date(day.day),
                format_nanos(day_total(day)),
                format_nanos(day.storage_nanos),
                format_nanos(day.egress_nanos),
                format_nanos(day.compute_nanos)
            );
            let rects = parts
                .into_iter()
                .filter(|(nanos, _)| *nanos > 0)
                .map(|(nanos, class)| {
                    let h = (nanos as f64 / highest * (height - 4.0)).max(1.0);
                    top -= h;
                    view! { <rect class=class x=x y=top width=bar height=h></rect> }
                })
                .collect_view();
            view! { <g><title>{label}</title>{rects}</g> }
        })
        .collect_view();
    view! {
        <figure class="spend-chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label="Spend by day, stacked by category" preserveAspectRatio="none">
                {bars}
            </svg>
            <figcaption class="chart-legend">
                <span class="legend legend-storage">"Storage"</span>
                <span class="legend legend-egress">"Downloads (egress)"</span>
                <span class="legend legend-compute">"Compute"</span>
            </figcaption>
        </figure>
        <details class="spend-days">
            <summary>"Spend by day, as a table"</summary>
            <table class="share-table">
                <thead><tr><th scope="col">"Day"</th><th scope="col" class="numeric">"Storage"</th><th scope="col" class="numeric">"Downloads"</th><th scope="col" class="numeric">"Compute"</th><th scope="col" class="numeric">"Total"</th></tr></thead>
                <tbody>{days.into_iter().rev().map(|day| view! {
                    <tr><th scope="row">{format_date(day.day)}</th>
                        <td class="numeric">{format_nanos(day.storage_nanos)}</td>
                        <td class="numeric">{format_nanos(day.egress_nanos)}</td>
                        <td class="numeric">{format_nanos(day.compute_nanos)}</td>
                        <td class="numeric">{format_nanos(day_total(&day))}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </details>
    }
    .into_any()
}

/// Spend per category (every category, zero included) and the latest events.
#[component]
pub fn SpendDetails(report: SpendReport) -> impl IntoView {
    let of = |category: CostCategory| {
        report
            .by_category
            .iter()
            .find(|c| c.category == category)
            .map_or(0, |c| c.spend_nanos)
    };
    let categories = CostCategory::ALL
        .into_iter()
        .map(|category| {
            view! { <div><dt>{category.label()}</dt><dd>{format_nanos(of(category))}</dd></div> }
        })
        .collect_view();
    view! {
        <h3>"By category"</h3>
        <dl class="categories">{categories}</dl>
        <h3>"Latest charges"</h3>
        {if report.recent.is_empty() {
            view! { <p class="empty-note">"No charge yet."</p> }.into_any()
        } else {
            view! {
                <table class="share-table spend-events">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"Workspace"</th><th scope="col">"What"</th><th scope="col">"Quantity"</th><th scope="col" class="numeric">"Cost"</th></tr></thead>
                    <tbody>{report.recent.into_iter().map(|event| view! {
                        <tr><td>{format_date_time(event.at)}</td><td>{event.workspace}</td>
                            <td>{event.category.label()} " · " {event.cause}</td>
                            <td>{format!("{:.6} {}", event.quantity, event.unit)}</td>
                            <td class="numeric">{format_nanos(event.amount_nanos)}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
    }
}
