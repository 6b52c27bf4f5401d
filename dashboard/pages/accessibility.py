"""Accessibility statement, in the form UK public sector bodies publish (the Public Sector Bodies
Accessibility Regulations 2018): how accessible the dashboard is, what is not and why, and how to
report a problem. Reachable from every page's navigation, signed in or not."""

from __future__ import annotations

import os

import streamlit as st

from dashboard.figures.safe_text import md_text
from dashboard.ui.accessibility import STANDARD, STREAMLIT_ISSUES, TESTED

CONTACT_VARIABLE = "DASHBOARD_ACCESSIBILITY_CONTACT"


def _contact() -> str:
    contact = os.environ.get(CONTACT_VARIABLE, "").strip()
    if contact:
        return f"contact {md_text(contact)}"
    return "contact the council that publishes this dashboard (its website gives the address)"


st.title("Accessibility statement")
st.markdown(
    "This statement applies to the housing support programme dashboard: the figures, charts, "
    "case studies and papers published for programme boards and scrutiny committees. The council "
    "that runs it wants as many people as possible to be able to use it. You should be able to:\n"
    "- change colours, contrast levels and fonts in your browser, and zoom up to 400% without the "
    "text spilling off the screen;\n"
    "- navigate the whole site using just a keyboard or speech recognition software;\n"
    "- listen to it using a screen reader: every chart has a one-sentence summary and a 'Show as "
    "table' alternative, and every status is given in words and symbols as well as colour;\n"
    "- download every table as a spreadsheet, and the committee's papers as a tagged PDF.")

st.subheader("How accessible this website is")
st.markdown(f"It is partially compliant with the {STANDARD} standard, because of the "
            "non-compliances listed below, all of them in the Streamlit framework the dashboard is "
            "built on.")

st.subheader("Non-accessible content")
for issue in STREAMLIT_ISSUES:
    st.markdown(f"- **{md_text(issue.what)}** {md_text(issue.instead)} (axe-core rule "
                f"`{issue.rule}`; tracked by Streamlit at {md_text(issue.upstream)}.)")

st.subheader("Feedback and contact information")
st.markdown(f"If you need information on this website in a different format, or find a problem "
            f"not listed here, {_contact()}. The council will consider your request and get back "
            "to you within 10 working days.")

st.subheader("Enforcement procedure")
st.markdown("The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
            "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
            "Regulations 2018. If you are not happy with how the council responds to your "
            "complaint, contact the Equality Advisory and Support Service (EASS).")

st.subheader("How this website was tested")
st.markdown(f"Tested with {TESTED}. Any serious or critical failure in the dashboard's own "
            "content fails the test; failures in Streamlit's own markup are listed above.")
