"""From a user's file to stored rows: reading, value parsing, validation, comparison with stored data, the commit, templates and error reports."""
