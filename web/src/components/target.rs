//! Target options of the current vendor, in plain words with the API's field name as secondary
//! text: EdgeOne site (zone), CDN region and cache layer, ESA site and region; the rarely
//! changed ones (headers, user agent, rate, …) folded under "Advanced options". A problem is
//! shown next to its field.

use super::{checked_of, field_state, renders, value_of, Busy, FieldErrorsCtx, FormCtx, Tools};
use crate::store::{Action, TargetForm};
use edgewarm::Service;
use yew::prelude::*;

/// A label: the plain words, then the API's name for the field.
fn label(id: &str, plain: &str, api: &str) -> Html {
    html! { <label for={id.to_string()}>{plain}{" "}<span class="api">{format!("({api})")}</span></label> }
}

/// The target form.
#[function_component(TargetPanel)]
pub fn target_panel() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    renders::count("TargetPanel");
    let (Some(tools), Some(form), Some(Busy(busy))) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<Busy>(),
    ) else {
        return Html::default();
    };
    let errors = use_context::<FieldErrorsCtx>();
    let t = form.target.clone();
    let text = |apply: fn(&mut TargetForm, String)| {
        let tools = tools.clone();
        let t = t.clone();
        Callback::from(move |e: Event| {
            let mut next = t.clone();
            apply(&mut next, value_of(&e));
            tools.send(Action::Target(next));
        })
    };
    let flag = |apply: fn(&mut TargetForm, bool)| {
        let tools = tools.clone();
        let t = t.clone();
        Callback::from(move |e: Event| {
            let mut next = t.clone();
            apply(&mut next, checked_of(&e));
            tools.send(Action::Target(next));
        })
    };
    let disabled = busy;
    let field = |id: &str| field_state(errors.as_ref(), id);
    let (zone, site, region, headers, rate) = (
        field("zone-id"),
        field("site-id"),
        field("region"),
        field("headers"),
        field("rate"),
    );
    let (main, advanced) = match form.vendor {
        Service::Teo => (
            html! { <>
                {label("zone-id", "Site", "ZoneId")}
                <input id="zone-id" value={t.zone_id.clone()} disabled={disabled} aria-invalid={zone.invalid} aria-describedby={zone.described_by.clone()} onchange={text(|t, v| t.zone_id = v)} />
                {zone.message}
            </> },
            html! {
                <label class="inline" for="intl"><input id="intl" type="checkbox" checked={t.intl} disabled={disabled} onchange={flag(|t, v| t.intl = v)} />{"International site "}<span class="api">{"(teo.intl.tencentcloudapi.com)"}</span></label>
            },
        ),
        Service::Cdn => (
            html! { <>
                {label("area", "Where to warm", "Area")}
                <select id="area" disabled={disabled} onchange={text(|t, v| t.area = v)}>
                    { for [("mainland", "Chinese mainland"), ("overseas", "Outside the mainland"), ("global", "Both")].iter().map(|(a, l)| html! { <option value={*a} selected={t.area == *a}>{format!("{l} ({a})")}</option> }) }
                </select>
            </> },
            html! { <>
                {label("layer", "Cache layer", "Layer")}
                <select id="layer" disabled={disabled} onchange={text(|t, v| t.layer = v)}>
                    <option value="" selected={t.layer.is_empty()}>{"Edge nodes (default)"}</option>
                    <option value="middle" selected={t.layer == "middle"}>{"Middle tier (middle)"}</option>
                </select>
                {label("user-agent", "User agent for the origin", "UserAgent")}
                <input id="user-agent" value={t.user_agent.clone()} disabled={disabled} onchange={text(|t, v| t.user_agent = v)} />
                <label class="inline" for="parse-m3u8"><input id="parse-m3u8" type="checkbox" checked={t.parse_m3u8} disabled={disabled} onchange={flag(|t, v| t.parse_m3u8 = v)} />{"Warm HLS segments too "}<span class="api">{"(ParseM3U8)"}</span></label>
                <label class="inline" for="disable-range"><input id="disable-range" type="checkbox" checked={t.disable_range} disabled={disabled} onchange={flag(|t, v| t.disable_range = v)} />{"Fetch whole files, no ranges "}<span class="api">{"(DisableRange)"}</span></label>
                <label class="inline" for="intl"><input id="intl" type="checkbox" checked={t.intl} disabled={disabled} onchange={flag(|t, v| t.intl = v)} />{"International site "}<span class="api">{"(cdn.intl.tencentcloudapi.com)"}</span></label>
            </> },
        ),
        Service::Esa => (
            html! { <>
                {label("site-id", "Site", "SiteId")}
                <input id="site-id" inputmode="numeric" value={t.site_id.clone()} disabled={disabled} aria-invalid={site.invalid} aria-describedby={site.described_by.clone()} onchange={text(|t, v| t.site_id = v)} />
                {site.message}
                {label("region", "Region", "endpoint")}
                <select id="region" disabled={disabled} aria-invalid={region.invalid} aria-describedby={region.described_by.clone()} onchange={text(|t, v| t.region = v)}>
                    { for edgewarm::vendor::ESA_REGIONS.iter().map(|r| html! { <option value={*r} selected={t.region == *r}>{*r}</option> }) }
                </select>
                {region.message}
            </> },
            Html::default(),
        ),
    };
    html! {
        <section class="target" aria-labelledby="target-h">
            <h3 id="target-h">{"Target"}</h3>
            <div class="form">
                {main}
            </div>
            <details class="advanced" id="advanced">
                <summary>{"Advanced options"}</summary>
                <div class="form">
                    {advanced}
                    {label("headers", "Extra request headers, one 'Name: value' per line", "Headers")}
                    <textarea id="headers" rows="2" value={t.headers.clone()} disabled={disabled} aria-invalid={headers.invalid} aria-describedby={headers.described_by.clone()} onchange={text(|t, v| t.headers = v)} />
                    {headers.message}
                    {label("rate", "Calls per second", "rate")}
                    <input id="rate" inputmode="decimal" value={t.rate.clone()} disabled={disabled} aria-invalid={rate.invalid} aria-describedby={rate.described_by.clone()} onchange={text(|t, v| t.rate = v)} />
                    {rate.message}
                </div>
            </details>
        </section>
    }
}
