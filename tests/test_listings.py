"""The documents' listings, as quoted, fail exactly where the errata say."""

import ast

import pytest

from ecomxai.formulas.listings import (DOCUMENT_LISTINGS, method_report, unbound_and_unused,
                                       undefined_names)


def test_document_listings_use_undefined_names():
    assert undefined_names(DOCUMENT_LISTINGS["001-main"]) == {"main": ["dev_data", "train_data"]}
    assert len(undefined_names(DOCUMENT_LISTINGS["003-main"])["main"]) == 7
    assert undefined_names(DOCUMENT_LISTINGS["004-backprop"]) == {"backward_pass": ["x"],
                                                                  "train_model": ["error"]}


def test_method_report_of_document_001_model():
    report = method_report(DOCUMENT_LISTINGS["001-model"], ("nn", "F", "Encoder", "Attention"))
    assert report["Attention.__init__"] == ([], ["nhead"])
    assert report["RecommendationModel.__init__"] == ([], ["d_k", "d_v", "dropout"])
    assert report["RecommendationModel.forward"] == (["query", "key", "value", "mask"], [])


def test_unbound_is_order_aware_and_input_is_checked():
    func = ast.parse("def f(a):\n    b = c\n    c = 1\n    return b\n").body[0]
    assert unbound_and_unused(func) == (["c"], ["a"])  # c read before assignment; a unused
    with pytest.raises(ValueError):
        unbound_and_unused(ast.parse("x = 1").body[0])
    with pytest.raises(ValueError):
        method_report("class A(:\n")
