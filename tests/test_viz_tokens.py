"""Static HTML token highlighting."""

import numpy as np
import pytest

from ecomxai.viz.tokens import highlight_table, highlight_tokens, token_spans


def test_one_span_per_token_colour_by_sign_and_no_script():
    html = highlight_tokens(["good", "<b>", "##ish"], np.array([1.0, -0.5, 0.0]), title="IG")
    assert html.count("<span") == 3
    assert "rgba(22,163,74,1.00)" in html          # strongest positive: opaque green
    assert "rgba(220,38,38,0.50)" in html          # half as strong negative: red, 0.5
    assert "&lt;b&gt;" in html and "<script" not in html
    assert ">ish<" in html                         # word pieces glued, ## dropped


def test_table_has_one_row_per_method():
    html = highlight_table(["a", "b"], {"ig": np.array([1.0, 0.0]), "lime": np.array([0, 2.0])})
    assert html.count("<tr>") == 2 and "caption" in html


def test_all_zero_scores_do_not_divide_by_zero():
    assert "rgba(22,163,74,0.00)" in token_spans(["a"], np.zeros(1))


@pytest.mark.parametrize("scores", [np.ones(3), np.array([np.nan, 1.0])])
def test_bad_scores(scores):
    with pytest.raises(ValueError):
        token_spans(["a", "b"], scores)
