//! Connections: per cloud, the sandbox, the user's keys (memory only unless "remember in this
//! tab"), or an edge worker that signs with its own keys for the worker's bearer token (kept like
//! keys). A key or token is never shown back.

use super::{checked_of, field_state, renders, value_of, FieldErrorsCtx, FormCtx, Tools};
use crate::connection::{Connection, Remembered};
use crate::store::Action;
use edgewarm::Cloud;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
struct OneProps {
    cloud: Cloud,
}

#[function_component(One)]
fn one(props: &OneProps) -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    renders::count("Connection");
    let (Some(tools), Some(form)) = (use_context::<Tools>(), use_context::<FormCtx>()) else {
        return Html::default();
    };
    let cloud = props.cloud;
    let current = match cloud {
        Cloud::Tencent => form.tencent.clone(),
        Cloud::Alibaba => form.alibaba.clone(),
    };
    let (title, id_label, secret_label, token_label, prefix) = match cloud {
        Cloud::Tencent => (
            "Tencent Cloud (EdgeOne, CDN)",
            ("Key id", "SecretId"),
            ("Secret", "SecretKey"),
            ("Temporary token, optional", "Token"),
            "tc",
        ),
        Cloud::Alibaba => (
            "Alibaba Cloud (ESA)",
            ("Key id", "AccessKeyId"),
            ("Secret", "AccessKeySecret"),
            ("Temporary token, optional", "SecurityToken"),
            "ali",
        ),
    };
    let errors = use_context::<FieldErrorsCtx>();
    let field = |id: String| field_state(errors.as_ref(), &id);
    let label = |id: String, (plain, api): (&str, &str)| {
        html! { <label for={id}>{plain}{" "}<span class="api">{format!("({api})")}</span></label> }
    };
    let remember = use_state(|| {
        crate::storage::remembered(cloud).is_some()
            || crate::storage::remembered_worker(cloud).is_some()
    });
    let mode = match &current {
        Connection::Sandbox => "sandbox",
        Connection::Keys { .. } => "keys",
        Connection::EdgeWorker { .. } => "worker",
    };
    let on_mode = {
        let tools = tools.clone();
        Callback::from(move |e: Event| {
            let c = match value_of(&e).as_str() {
                "keys" => Connection::Keys {
                    id: String::new(),
                    secret: String::new(),
                    token: None,
                },
                "worker" => Connection::EdgeWorker {
                    base: String::new(),
                    token: String::new(),
                },
                _ => Connection::Sandbox,
            };
            tools.send(Action::Connect(cloud, c));
        })
    };
    let body = match &current {
        Connection::Sandbox => html! {
            <p class="muted">{"The built-in sandbox cloud with its well-known keys: no account needed."}</p>
        },
        Connection::Keys { id, secret, token } => {
            let set = {
                let tools = tools.clone();
                let remember = remember.clone();
                let (id, secret, token) = (id.clone(), secret.clone(), token.clone());
                move |field: &'static str| {
                    let tools = tools.clone();
                    let remember = remember.clone();
                    let (id, secret, token) = (id.clone(), secret.clone(), token.clone());
                    Callback::from(move |e: Event| {
                        let v = value_of(&e);
                        let (mut id, mut secret, mut token) =
                            (id.clone(), secret.clone(), token.clone());
                        match field {
                            "id" => id = v.trim().to_string(),
                            "secret" => secret = v,
                            _ => token = Some(v).filter(|t| !t.is_empty()),
                        }
                        if *remember {
                            remember_keys(cloud, &id, &secret, &token);
                        }
                        tools.send(Action::Connect(
                            cloud,
                            Connection::Keys { id, secret, token },
                        ));
                    })
                }
            };
            let on_remember = {
                let remember = remember.clone();
                let (id, secret, token) = (id.clone(), secret.clone(), token.clone());
                Callback::from(move |e: Event| {
                    let on = checked_of(&e);
                    remember.set(on);
                    if on {
                        remember_keys(cloud, &id, &secret, &token);
                    } else {
                        crate::storage::forget(cloud);
                    }
                })
            };
            let (fid, fsecret) = (
                field(format!("{prefix}-id")),
                field(format!("{prefix}-secret")),
            );
            html! { <>
                {label(format!("{prefix}-id"), id_label)}
                <input id={format!("{prefix}-id")} autocomplete="off" spellcheck="false" value={id.clone()} aria-invalid={fid.invalid} aria-describedby={fid.described_by.clone()} onchange={set("id")} />
                {fid.message}
                {label(format!("{prefix}-secret"), secret_label)}
                <input id={format!("{prefix}-secret")} type="password" autocomplete="off" aria-invalid={fsecret.invalid} aria-describedby={fsecret.described_by.clone()}
                    placeholder={if secret.is_empty() { "not set" } else { "set (hidden)" }} onchange={set("secret")} />
                {fsecret.message}
                {label(format!("{prefix}-token"), token_label)}
                <input id={format!("{prefix}-token")} type="password" autocomplete="off" onchange={set("token")} />
                <label class="inline" for={format!("{prefix}-remember")}>
                    <input id={format!("{prefix}-remember")} type="checkbox" checked={*remember} onchange={on_remember} />
                    {"Remember in this tab"}
                </label>
                <p class="warning">{"Keys stay in this page's memory. \"Remember in this tab\" puts them in sessionStorage, where any script on this origin can read them until the tab closes."}</p>
            </> }
        }
        Connection::EdgeWorker { base, token } => {
            let set = {
                let tools = tools.clone();
                let remember = remember.clone();
                let (base, token) = (base.clone(), token.clone());
                move |field: &'static str| {
                    let tools = tools.clone();
                    let remember = remember.clone();
                    let (base, token) = (base.clone(), token.clone());
                    Callback::from(move |e: Event| {
                        let v = value_of(&e);
                        let (mut base, mut token) = (base.clone(), token.clone());
                        match field {
                            "base" => base = v.trim().to_string(),
                            _ => token = v.trim().to_string(),
                        }
                        if *remember {
                            remember_worker(cloud, &base, &token);
                        }
                        tools.send(Action::Connect(
                            cloud,
                            Connection::EdgeWorker { base, token },
                        ));
                    })
                }
            };
            let on_remember = {
                let remember = remember.clone();
                let (base, token) = (base.clone(), token.clone());
                Callback::from(move |e: Event| {
                    let on = checked_of(&e);
                    remember.set(on);
                    if on {
                        remember_worker(cloud, &base, &token);
                    } else {
                        crate::storage::forget_worker(cloud);
                    }
                })
            };
            let (fbase, ftoken) = (
                field(format!("{prefix}-worker")),
                field(format!("{prefix}-worker-token")),
            );
            html! { <>
                <label for={format!("{prefix}-worker")}>{"Edge worker URL"}</label>
                <input id={format!("{prefix}-worker")} type="url" placeholder="https://edgewarm-edge.example.workers.dev" value={base.clone()} aria-invalid={fbase.invalid} aria-describedby={fbase.described_by.clone()} onchange={set("base")} />
                {fbase.message}
                {label(format!("{prefix}-worker-token"), ("Worker token", "EDGEWARM_SIGN_TOKEN"))}
                <input id={format!("{prefix}-worker-token")} type="password" autocomplete="off" aria-invalid={ftoken.invalid} aria-describedby={ftoken.described_by.clone()}
                    placeholder={if token.is_empty() { "not set" } else { "set (hidden)" }} onchange={set("token")} />
                {ftoken.message}
                <label class="inline" for={format!("{prefix}-worker-remember")}>
                    <input id={format!("{prefix}-worker-remember")} type="checkbox" checked={*remember} onchange={on_remember} />
                    {"Remember in this tab"}
                </label>
                <p class="muted">{"Calls are signed by the worker with the keys in its secrets; no key is in this browser. The worker signs only for its token, sent as Authorization: Bearer."}</p>
                <p class="warning">{"The token stays in this page's memory. \"Remember in this tab\" puts it in sessionStorage, where any script on this origin can read it until the tab closes."}</p>
            </> }
        }
    };
    html! {
        <fieldset class="connection">
            <legend>{title}</legend>
            <label for={format!("{prefix}-mode")}>{"Connect with"}</label>
            <select id={format!("{prefix}-mode")} onchange={on_mode}>
                <option value="sandbox" selected={mode == "sandbox"}>{"Sandbox cloud"}</option>
                <option value="keys" selected={mode == "keys"}>{"My keys"}</option>
                <option value="worker" selected={mode == "worker"}>{"Signed by the edge worker"}</option>
            </select>
            {body}
        </fieldset>
    }
}

/// The connection of the cloud the current vendor needs.
#[function_component(Connections)]
pub fn connections() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    renders::count("Connections");
    let Some(form) = use_context::<FormCtx>() else {
        return Html::default();
    };
    let cloud = form.vendor.cloud();
    html! {
        <section class="connections" aria-labelledby="connections-h">
            <h3 id="connections-h">{"Connection"}</h3>
            if cloud == Cloud::Tencent { <One cloud={Cloud::Tencent} /> } else { <One cloud={Cloud::Alibaba} /> }
        </section>
    }
}

/// Keeps the keys in this tab's sessionStorage (the user opted in).
fn remember_keys(cloud: Cloud, id: &str, secret: &str, token: &Option<String>) {
    crate::storage::remember(
        cloud,
        &Remembered {
            id: id.to_string(),
            secret: secret.to_string(),
            token: token.clone(),
        },
    );
}

/// Keeps the edge worker's URL and token in this tab's sessionStorage (the user opted in).
fn remember_worker(cloud: Cloud, base: &str, token: &str) {
    crate::storage::remember_worker(
        cloud,
        &crate::connection::RememberedWorker {
            base: base.to_string(),
            token: token.to_string(),
        },
    );
}
