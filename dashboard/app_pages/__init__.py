"""The pages of the app: layout and widgets only; data comes from dashboard.data, figures from the library."""
