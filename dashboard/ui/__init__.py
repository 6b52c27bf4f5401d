"""Streamlit building blocks the pages share: sidebar filters, navigation, headline tiles, tables
with downloads, the upload form, meeting panels, start-up and the database-fault screens. The only
place outside ``pages/`` that imports Streamlit for layout."""
