"""Excel import ("Nhập từ Excel"): a province or commune brings its existing lists in, as safely as a form.

The ground floor knows nothing of branches or secretaries. It reads an uploaded workbook safely
(`reader`), matches its header row to the columns a kind declares and parses each cell (`engine`), keeps
each upload as an `ImportBatch` with its original file, and offers the pages (upload → preview → confirm,
the log, the template). What a row means, and how a batch is written, belongs to the app that owns the
records: it registers an `ImportKind` in its AppConfig.ready() (`engine.register_kind`), as the first
screen's panels are registered (core.home). See docs/importing.md.
"""
