//! The setup in one line above the task — "Sandbox · EdgeOne · zone-sandbox — change" — that
//! unfolds into the connection and the target. The folded line is what a newcomer needs (the
//! sandbox works without an account); the forms are one click away, and unfold by themselves
//! when one of their fields has a problem.

use super::{connections::Connections, renders, target::TargetPanel, FormCtx};
use crate::connection::Connection;
use crate::store::Form;
use edgewarm::Service;
use yew::prelude::*;

/// The vendor's name as people say it.
pub fn vendor_name(s: Service) -> &'static str {
    match s {
        Service::Teo => "EdgeOne",
        Service::Cdn => "Tencent CDN",
        Service::Esa => "Alibaba ESA",
    }
}

/// The one-line summary: connection · vendor · target.
pub fn summary(form: &Form) -> String {
    let conn = match form.connection(form.vendor) {
        Connection::Sandbox => "Sandbox".to_string(),
        Connection::Keys { id, .. } if id.is_empty() => "Your keys (not set)".to_string(),
        Connection::Keys { .. } => "Your keys".to_string(),
        Connection::EdgeWorker { .. } => "Edge worker".to_string(),
    };
    let t = &form.target;
    let target = match form.vendor {
        Service::Teo => t.zone_id.trim().to_string(),
        Service::Cdn => t.area.clone(),
        Service::Esa => format!("site {} · {}", t.site_id.trim(), t.region),
    };
    format!("{conn} · {} · {target}", vendor_name(form.vendor))
}

/// The folded setup.
#[function_component(Setup)]
pub fn setup() -> Html {
    renders::count("Setup");
    let Some(form) = use_context::<FormCtx>() else {
        return Html::default();
    };
    // not controlled here: the user folds and unfolds it, and a field's problem unfolds it
    // (see `focus_later`)
    html! {
        <details id="setup" class="setup">
            <summary><span id="setup-summary">{summary(&form)}</span>{" "}<span class="change">{"— change"}</span></summary>
            <div class="setup-body">
                <Connections />
                <TargetPanel />
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_setup_reads_as_one_line() {
        let mut f = Form::default();
        assert_eq!(summary(&f), "Sandbox · EdgeOne · zone-sandbox");
        f.vendor = Service::Esa;
        assert_eq!(
            summary(&f),
            "Sandbox · Alibaba ESA · site 100000001 · cn-hangzhou"
        );
    }
}
