//! A world map on a `<canvas>` (the latency map or the DNS answer-set map): draws with the shared
//! chart code through plotters-canvas and answers hover and tap with a tooltip naming the marker.
//! Drawing happens in an effect after render.

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::chart::map::{MapContent, MapLayout};

/// The drawing size in canvas pixels; CSS scales the canvas to the column width.
const WIDTH_PX: u32 = 960;
const HEIGHT_PX: u32 = 520;

#[derive(Properties)]
pub struct MapCanvasProps {
    /// The markers (and overlay or legend) to draw.
    pub content: Rc<MapContent>,
    /// The tooltip of each marker, in the content's order.
    pub labels: Rc<Vec<String>>,
    /// A one-line text alternative for screen readers.
    pub summary: AttrValue,
}

impl PartialEq for MapCanvasProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.content, &other.content)
            && Rc::ptr_eq(&self.labels, &other.labels)
            && self.summary == other.summary
    }
}

/// What the drawing depends on, compared by identity: it is memoised upstream.
#[derive(Clone)]
struct DrawKey(Rc<MapContent>);

impl PartialEq for DrawKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn MapCanvas(props: &MapCanvasProps) -> Html {
    let canvas_ref = use_node_ref();
    let layout = use_mut_ref(|| None::<MapLayout>);
    let hovered = use_state(|| None::<(usize, f64, f64)>);
    let failed = use_state(|| false);

    {
        let canvas_ref = canvas_ref.clone();
        let layout = layout.clone();
        let failed = failed.clone();
        use_effect_with(DrawKey(props.content.clone()), move |key| {
            let drawn = canvas_ref
                .cast::<web_sys::HtmlCanvasElement>()
                .and_then(CanvasBackend::with_canvas_object)
                .and_then(|backend| {
                    let area = backend.into_drawing_area();
                    let result = key.0.draw(&area).ok();
                    let _ = area.present();
                    result
                });
            failed.set(drawn.is_none());
            *layout.borrow_mut() = drawn;
        });
    }

    let locate = {
        let layout = layout.clone();
        let content = props.content.clone();
        move |event: &MouseEvent| -> Option<(usize, f64, f64)> {
            let canvas: web_sys::HtmlCanvasElement = event.target()?.dyn_into().ok()?;
            let layout = (*layout.borrow())?;
            let (css_width, css_height) = (
                f64::from(canvas.client_width()),
                f64::from(canvas.client_height()),
            );
            if css_width <= 0.0 || css_height <= 0.0 {
                return None;
            }
            let (offset_x, offset_y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            let x = offset_x * f64::from(WIDTH_PX) / css_width;
            let y = offset_y * f64::from(HEIGHT_PX) / css_height;
            layout.position_at(&content.positions(), x, y).map(|index| {
                (
                    index,
                    offset_x / css_width * 100.0,
                    offset_y / css_height * 100.0,
                )
            })
        }
    };
    let on_move = {
        let hovered = hovered.clone();
        let locate = locate.clone();
        Callback::from(move |event: MouseEvent| {
            let found = locate(&event);
            if *hovered != found {
                hovered.set(found);
            }
        })
    };
    // A tap on a touch screen arrives as a click; it shows the same tooltip.
    let on_click = {
        let hovered = hovered.clone();
        Callback::from(move |event: MouseEvent| hovered.set(locate(&event)))
    };
    let on_leave = {
        let hovered = hovered.clone();
        Callback::from(move |_: MouseEvent| hovered.set(None))
    };

    let tooltip = hovered.and_then(|(index, left, top)| {
        props.labels.get(index).map(|label| {
            html! {
                <div class="map-tooltip" role="tooltip" style={format!("left: {left:.1}%; top: {top:.1}%")}>
                    { crate::format::visible_controls(label).into_owned() }
                </div>
            }
        })
    });
    html! {
        <figure class="map">
            <div class="map-frame">
                <canvas ref={canvas_ref} width={WIDTH_PX.to_string()} height={HEIGHT_PX.to_string()}
                    role="img" aria-label={props.summary.clone()}
                    onmousemove={on_move} onclick={on_click} onmouseleave={on_leave} />
                { for tooltip }
            </div>
            if *failed {
                <figcaption class="error">{ "The map could not be drawn in this browser; the tables below hold the same data." }</figcaption>
            } else {
                <figcaption>{ props.summary.clone() }</figcaption>
            }
        </figure>
    }
}
