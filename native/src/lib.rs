//! forewarn's native core: the per-token work of a scan, bound to Python with PyO3.
//!
//! Python keeps the data model, the orchestration and every decision a contributor tunes; this
//! crate only does what Python would do token by token, and gives the same answers (the tests in
//! tests/test_native.py compare each function with its Python reference).

use pyo3::prelude::*;

mod pytext;
mod who_tokens;
mod wordpiece;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<wordpiece::WordPieces>()?;
    m.add_class::<who_tokens::NameTokens>()?;
    Ok(())
}
