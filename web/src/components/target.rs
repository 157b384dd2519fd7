//! Target options of the current vendor: EdgeOne zone and site, CDN push options, ESA site and
//! region, and the request rate.

use super::{checked_of, renders, value_of, Busy, FormCtx, Tools};
use crate::store::{Action, TargetForm};
use edgewarm::Service;
use yew::prelude::*;

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
    let fields = match form.vendor {
        Service::Teo => html! { <>
            <label for="zone-id">{"ZoneId"}</label>
            <input id="zone-id" value={t.zone_id.clone()} disabled={disabled} onchange={text(|t, v| t.zone_id = v)} />
            <label class="inline" for="intl"><input id="intl" type="checkbox" checked={t.intl} disabled={disabled} onchange={flag(|t, v| t.intl = v)} />{"International site (teo.intl.tencentcloudapi.com)"}</label>
        </> },
        Service::Cdn => html! { <>
            <label for="area">{"Area"}</label>
            <select id="area" disabled={disabled} onchange={text(|t, v| t.area = v)}>
                { for ["mainland", "overseas", "global"].iter().map(|a| html! { <option value={*a} selected={t.area == *a}>{*a}</option> }) }
            </select>
            <label for="layer">{"Layer"}</label>
            <select id="layer" disabled={disabled} onchange={text(|t, v| t.layer = v)}>
                <option value="" selected={t.layer.is_empty()}>{"edge (default)"}</option>
                <option value="middle" selected={t.layer == "middle"}>{"middle"}</option>
            </select>
            <label for="user-agent">{"UserAgent"}</label>
            <input id="user-agent" value={t.user_agent.clone()} disabled={disabled} onchange={text(|t, v| t.user_agent = v)} />
            <label class="inline" for="parse-m3u8"><input id="parse-m3u8" type="checkbox" checked={t.parse_m3u8} disabled={disabled} onchange={flag(|t, v| t.parse_m3u8 = v)} />{"ParseM3U8 (warm the segments server-side)"}</label>
            <label class="inline" for="disable-range"><input id="disable-range" type="checkbox" checked={t.disable_range} disabled={disabled} onchange={flag(|t, v| t.disable_range = v)} />{"DisableRange"}</label>
            <label class="inline" for="intl"><input id="intl" type="checkbox" checked={t.intl} disabled={disabled} onchange={flag(|t, v| t.intl = v)} />{"International site"}</label>
        </> },
        Service::Esa => html! { <>
            <label for="site-id">{"SiteId"}</label>
            <input id="site-id" inputmode="numeric" value={t.site_id.clone()} disabled={disabled} onchange={text(|t, v| t.site_id = v)} />
            <label for="region">{"Region"}</label>
            <select id="region" disabled={disabled} onchange={text(|t, v| t.region = v)}>
                { for edgewarm::vendor::ESA_REGIONS.iter().map(|r| html! { <option value={*r} selected={t.region == *r}>{*r}</option> }) }
            </select>
        </> },
    };
    html! {
        <section aria-labelledby="target-h">
            <h2 id="target-h">{"Target"}</h2>
            <div class="form">
                {fields}
                <label for="headers">{"Headers (one 'Name: value' per line)"}</label>
                <textarea id="headers" rows="2" value={t.headers.clone()} disabled={disabled} onchange={text(|t, v| t.headers = v)} />
                <label for="rate">{"Requests per second"}</label>
                <input id="rate" inputmode="decimal" value={t.rate.clone()} disabled={disabled} onchange={text(|t, v| t.rate = v)} />
            </div>
        </section>
    }
}
