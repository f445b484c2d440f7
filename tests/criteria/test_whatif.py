"""What-if documents: their refusals in the reader's language."""

import pytest
from django.utils import translation

from criteria.scoring import ScoringInputError
from criteria.whatif import load_what_if


def test_a_key_given_twice_is_refused_in_the_readers_language():
    text = '{"values": {"1.1.1": {"yes": true}, "1.1.1": {"yes": false}}}'

    with translation.override("en"), pytest.raises(ScoringInputError) as error:
        load_what_if(text)
    assert error.value.message == "The what-if file gives «1.1.1» twice."

    with translation.override("vi"), pytest.raises(ScoringInputError) as error:
        load_what_if(text)
    assert error.value.message == "Tệp kịch bản ghi «1.1.1» hai lần."
