//! Chart drawing, generic over the plotters `DrawingBackend`: the same code paints a `<canvas>` in the
//! browser and writes SVG for export and for native tests. Drawing functions return the pixel↔data
//! mapping so the UI can answer hover and tap. Nothing here touches the DOM.

pub mod map;
pub mod scale;
