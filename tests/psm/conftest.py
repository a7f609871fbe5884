"""Fixtures of the psm tests."""

import pytest

from tests.psm import berikrar


@pytest.fixture
def psm(client, psm_a):
    """PSM A, pledged and logged in on ``client`` (the caseload pages are behind the pledge)."""
    berikrar(psm_a)
    client.force_login(psm_a)
    return psm_a
