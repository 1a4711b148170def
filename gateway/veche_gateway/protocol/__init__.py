"""The results protocol: a contest's standings as a document people can print, sign and publish (HTML and PDF)."""
