"""The database: the one DuckDB boundary (store), the app's single writer, the content-addressed file store, migrations and the SQL views (views: where they are and their checksum)."""
