"""Each who-rule on small made-up texts."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from forewarn.model import Finding
from forewarn.who import analyse_who, characters, who_dies
from tests.who_helpers import story, work_from_parts


def _names(text: str) -> set[str]:
    return {c.name for c in characters(story(text))}


def test_family_and_given_name_in_either_order_merge_into_the_canonical_name() -> None:
    text = ("Uchiha Sasuke walked in. Later Sasuke Uchiha sat down, and Sasuke smiled. "
            "Haruno Sakura waved at him.")  # fmt: skip
    chars = {c.name: c for c in characters(story(text))}
    assert set(chars) == {"Uchiha Sasuke", "Haruno Sakura"}
    assert len(chars["Uchiha Sasuke"].mentions) == 3


def test_honorifics_and_stutters_are_stripped() -> None:
    text = '"Sasuke-kun," she said. "Tsunade-sama is here." "S-Sasuke-kun!" Kakashi-sensei laughed.'
    chars = {c.name: c for c in characters(story(text))}
    assert {"Uchiha Sasuke", "Tsunade", "Hatake Kakashi"} <= set(chars)
    assert "Sasuke-kun" in chars["Uchiha Sasuke"].aliases
    work = story(text)
    for start, end in chars["Uchiha Sasuke"].mentions:
        assert work.text[start:end] == "Sasuke"


def test_unknown_names_need_mid_sentence_capitals_and_titles_are_kept_as_aliases() -> None:
    text = ("Mara opened the door. Tomorrow would be hard, and Mara knew it. Captain Holt frowned at her. "
            "\"Sit,\" said Holt. Mara sat. Beyond the wall the rain fell. Beyond that, nothing.")  # fmt: skip
    chars = {c.name: c for c in characters(story(text))}
    assert "Mara" in chars and "Holt" in chars
    assert "Captain Holt" in chars["Holt"].aliases
    assert "Tomorrow" not in chars and "Beyond" not in chars and "Captain" not in chars


def test_words_mostly_lower_case_elsewhere_are_not_names() -> None:
    text = ("Silence fell. Jun listened to the silence for a long time. Silence again. "
            "Jun stood; the silence broke. \"Jun,\" Ada called.")  # fmt: skip
    names = _names(text)
    assert "Jun" in names and "Ada" in names and "Silence" not in names


def test_interjections_days_months_and_god_are_not_names() -> None:
    text = ('"Oh, God," Mira said. "Hn." On Monday in March Mira left. "Shh," Mira said to Oren. '
            "Oren nodded. Ugh. Oren slept.")  # fmt: skip
    assert _names(text) == {"Mira", "Oren"}


def test_place_names_after_place_cues_and_place_heads_are_not_characters() -> None:
    text = ("Lio lived in Varenna. Lio left Varenna at dawn and walked to Sound Village. "
            "In Varenna, the bells rang. Lio reached the Silver River and rested near Varenna.")  # fmt: skip
    names = _names(text)
    assert names == {"Lio"}


INTRO = ("Ilse rubbed her eyes, and later Ilse brushed her hair. Teo shrugged his shoulders; "
         "then Teo scratched his chin.\n\n")  # fmt: skip


def test_dialogue_speakers_and_clear_pronouns_count_as_dialogue() -> None:
    text = INTRO + ('"We go now," Ilse whispered.\n\n"Why?" asked Teo.\n\n'
                    'Ilse looked at the door. "Because," she said.')  # fmt: skip
    chars = {c.name: c for c in characters(story(text))}
    assert chars["Ilse"].gender == "f" and chars["Teo"].gender == "m"
    assert chars["Ilse"].dialogue == 2
    assert chars["Teo"].dialogue == 1


def test_ambiguous_pronoun_speaker_is_left_out() -> None:
    text = ("Ilse brushed her hair and Nora tied her boots. Later Ilse and Nora stood by the door.\n\n"
            '"Because," she said.')  # fmt: skip
    chars = {c.name: c for c in characters(story(text))}
    assert chars["Ilse"].dialogue == 0 and chars["Nora"].dialogue == 0


def test_only_story_sections_are_read() -> None:
    work = work_from_parts([("author-note", "Thanks to Bellamy Blake fans and my beta Quill!"),
                            ("story", "Wren smiled. Later Wren slept.")])  # fmt: skip
    assert {c.name for c in characters(work)} == {"Wren"}


def test_romantic_cues_make_a_romantic_pair_named_the_ao3_way() -> None:
    text = ("Ilse kissed Teo in the rain.\n\nLater Teo held her hand and Ilse blushed. "
            '"I love you, Teo," Ilse said.')  # fmt: skip
    who = analyse_who(story(text))
    assert [(r.name, r.kind) for r in who.relationships] == [("Ilse/Teo", "romantic")]
    assert who.relationships[0].evidence


def test_company_without_romance_is_platonic() -> None:
    text = ("Ilse and Teo were friends. Ilse gave Teo the map. Teo thanked Ilse. "
            "Ilse and Teo walked on. Teo laughed at Ilse's joke.")  # fmt: skip
    who = analyse_who(story(text))
    assert [(r.name, r.kind) for r in who.relationships] == [("Ilse & Teo", "platonic")]


def test_negated_romance_does_not_count() -> None:
    text = ("Ilse never kissed Teo. Ilse did not love Teo. Teo didn't kiss Ilse either. "
            "Ilse and Teo argued.")  # fmt: skip
    who = analyse_who(story(text))
    assert all(r.kind == "platonic" for r in who.relationships)


def test_fandom_from_names_and_canon_terms_and_none_for_original_fiction() -> None:
    hp = "Harry ran to Hogwarts. Hermione cast a spell at the Muggle. Ron laughed; Harry did not."
    assert analyse_who(story(hp)).fandom.name == "Harry Potter"  # type: ignore[union-attr]
    original = "Mara opened the door. Mara knew it. Holt frowned at Mara in the kitchen."
    assert analyse_who(story(original)).fandom is None


CAST = "Oren walked Mara home, and later Oren looked at Mara.\n\n"


def test_death_statements_about_named_characters() -> None:
    cases = {
        "Mara died in the night. Oren wept.": ("Mara",),
        "Oren wept. Mara was dead.": ("Mara",),
        "Oren found Mara's lifeless body. Oren wept.": ("Mara",),
        "Oren killed Mara. Oren wept.": ("Mara",),
        "Mara stopped breathing. Oren wept.": ("Mara",),
        "Mara breathed her last. Oren wept.": ("Mara",),
        "Oren wept. Mara's heart stopped.": ("Mara",),
        "Mara never woke up. Oren wept.": ("Mara",),
        "Behind them lay Mara, eyes dulled with the loss of life. Oren wept.": ("Mara",),
        "Mara almost died. Oren wept.": (),
        "It wouldn't have killed Mara to smile. Oren wept.": (),
        "Did Mara die? Oren wept.": (),
        "Mara was not dead. Oren wept.": (),
    }
    for text, expected in cases.items():
        assert who_dies(story(CAST + text)) == expected, text


def test_pronoun_deaths_only_when_one_character_fits() -> None:
    clear = "Mara fought the fever, and Oren nursed her. Oren loved Mara.\n\nAt dawn she died."
    intro = "Mara brushed her hair; Mara tied her boots. Oren rubbed his eyes; Oren yawned his yawn.\n\n"
    assert who_dies(story(intro + clear)) == ("Mara",)
    unclear = ("Mara brushed her hair and Ilse tied her boots. Mara and Ilse fought the fever.\n\n"
               "At dawn she died.")  # fmt: skip
    assert who_dies(story(unclear)) == ()


def test_death_scene_with_last_words_and_a_screamed_name() -> None:
    text = ("Mara brushed her hair. Oren rubbed his eyes.\n\n"
            "Oren carried Mara through the snow. She told him one last time that she loved him.\n\n"
            "Her breathing slowed. Breathe. Breathe. Stop.\n\nNo response.\n\n"
            '"MARA!" he screamed.')  # fmt: skip
    assert who_dies(story(text)) == ("Mara",)


def test_a_character_who_acts_after_the_scene_is_not_dead() -> None:
    text = ("Mara brushed her hair. Oren rubbed his eyes.\n\n"
            'Oren carried Mara. "Don\'t leave me," he begged. She went still.\n\n'
            "Then Mara opened her eyes and smiled.")  # fmt: skip
    assert who_dies(story(text)) == ()


def test_detector_hints_are_resolved_to_canonical_names() -> None:
    text = "Sakura smiled at Naruto. Later, Sasuke lay in the snow, dead."
    work = story(text)
    start = text.index("Later")
    finding = Finding("death", 0.9, "depicted", 0, start, len(text), text[start:], "lexicon.v1",
                      characters=("Sasuke",))  # fmt: skip
    assert who_dies(work, findings=[finding]) == ("Uchiha Sasuke",)
    unrelated = Finding("death", 0.9, "depicted", 0, 0, 24, text[:24], "lexicon.v1", characters=("Sakura",))
    assert who_dies(work, findings=[unrelated]) == ()


def test_analysis_is_deterministic() -> None:
    text = "Ilse kissed Teo. Teo kissed Ilse. Mara died."
    assert analyse_who(story(text)) == analyse_who(story(text))


def test_death_statement_with_a_fuller_name_than_the_character_list_holds() -> None:
    # "Grey" is lower-case elsewhere, so "Grey Mara" never becomes a name of its own
    cases = {
        "The sky was grey. Oren wept, and the town learned that Mara Stone was dead.": "Mara Stone",
        "The sky was grey. Oren wept; the stone was cold, and Mara Stone was dead.": "Mara",
        "The sky was grey and the wolves were grey. The raiders killed Grey Mara. Oren wept.": "Mara",
    }
    for text, expected in cases.items():
        assert who_dies(story(CAST + text)) == (expected,), text
    assert who_dies(story(CAST + "The sky was grey. Oren said Mara Stone's dog was dead. Mara wept.")) == ()


def test_a_full_name_seen_once_becomes_the_canonical_name() -> None:
    text = CAST + "Oren wept, and the town learned that Mara Stone was dead."
    chars = {c.name: c for c in characters(story(text))}
    assert set(chars) == {"Mara Stone", "Oren"}
    assert set(chars["Mara Stone"].aliases) == {"Mara", "Mara Stone"}


def test_a_stopped_chest_is_a_death_only_when_the_pronoun_is_clear() -> None:
    intro = INTRO + "Teo lay down by the fire. Ilse sat up all night.\n\n"
    assert who_dies(story(intro + "His chest had stopped rising.")) == ("Teo",)
    assert who_dies(story(intro + "Ilse watched. Teo's chest had stopped rising.")) == ("Teo",)
    unclear = "Ilse and Teo lay down by the fire. Ilse slept.\n\nHis chest had stopped rising."
    assert who_dies(story(unclear)) == ()


def test_phrases_ending_or_opening_with_a_geographic_word_are_places() -> None:
    text = ("Later Tam sailed from Greywater Bay to Orrin Point, and Tam loved Greywater Bay. "
            "At Orrin Point the gulls cried, and Tam climbed Mount Vire. Orrin Point slept.")  # fmt: skip
    assert _names(text) == {"Tam"}


def test_phrases_mostly_after_a_preposition_of_place_are_places_unless_used_like_people() -> None:
    place = "Later Tam walked to Varden Moss; Tam reached Varden Moss at dusk, resting near Varden Moss."
    assert _names(place) == {"Tam"}
    person = ('Later Tam walked to Kell Brook, smiled at Kell Brook and waved at Kell Brook. '
              '"Hi," said Kell.')  # fmt: skip
    assert "Kell Brook" in _names(person)


def test_that_before_a_name_joins_a_clause_and_is_not_a_determiner() -> None:
    text = "Tam knew that Mara Lind was late. Later Tam saw that Mara was tired."
    assert _names(text) == {"Tam", "Mara Lind"}


def test_bundled_example_knows_who_dies_and_that_a_headland_is_a_place() -> None:
    from pathlib import Path

    from forewarn.api import read

    work = read(Path(__file__).resolve().parents[1] / "examples" / "the-lighthouse-keeper.txt")
    who = analyse_who(work)
    names = {c.name for c in who.characters}
    words = {w for c in who.characters for a in (c.name, *c.aliases) for w in a.split()}
    assert not any("Skerry" in n or "Point" in n for n in names)
    assert "Point" not in words
    dead = [c for c in who.characters if c.name in who.who_dies]
    assert len(dead) == 1 and "Elias" in dead[0].aliases


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_the_faster_scanning_patterns_match_exactly_where_the_plain_ones_do() -> None:
    from forewarn.who import deaths, relationships, text

    plain_sentence_end = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)|[\"”](?=\s*\n)")
    plain_platonic = re.compile(relationships._PLATONIC.pattern)
    plain_terminal = re.compile(deaths._TERMINAL.pattern)
    plain_pronoun = re.compile(deaths._PRONOUN_DEATH.pattern)
    words = (
        "he she his her had died was dead heart heartbeat stopped chest ceased rising breath breathing "
        "stop no pulse went limp never woke slipped away closed eyes for the last time best friend "
        "friends friendship team mate teammates sister brother student sensei partner Ab b x_ 1 é"
    )
    pieces = [*words.split(), *".!?…\"'”’)]([“‘", " ", "  ", "\n", "\n\n", "-", ""]
    rng = random.Random(7)
    for _ in range(3000):
        s = "".join(rng.choice(pieces) + rng.choice([" ", "", "\n", ". "]) for _ in range(rng.randint(1, 12)))
        lo = rng.randint(0, len(s))
        hi = rng.randint(lo, len(s))
        assert _spans(text._SENT_END_RE.finditer(s, lo, hi)) == _spans(plain_sentence_end.finditer(s, lo, hi))
        platonic = relationships._PLATONIC_LOWER.finditer(s, lo, hi)
        assert _spans(platonic) == _spans(plain_platonic.finditer(s, lo, hi))
        assert _spans(deaths._TERMINAL_LOWER.finditer(s)) == _spans(plain_terminal.finditer(s))
        pronoun = deaths._finditer_at(deaths._PRONOUN_DEATH_LOWER, deaths._PRONOUN_DEATH_STARTS, s)
        assert _spans(pronoun) == _spans(plain_pronoun.finditer(s))


def test_burnt_to_death_and_a_death_after_and_are_statements() -> None:
    cases = {
        "Last week Mara burnt to death in the street. Oren wept.": ("Mara",),
        "Furious, Mara had a stroke and died before the trial. Oren wept.": ("Mara",),
        "Mara fell ill in the winter and died. Oren wept.": ("Mara",),
        # someone else dies, or the death is not real
        "Mara watched as he fell and died. Oren wept.": (),
        "Mara would rather fight and die. Oren wept.": (),
        "Mara almost fell and died. Oren wept.": (),
        "Mara swore to fight and die for him. Oren wept.": (),
        "Mara said that if it came to it, she would fight and die. Oren wept.": (),
        "Mara had a dog that got sick and died. Oren wept.": (),
        "Mara threatened to burn Oren to death. Oren wept.": (),
        "Mara nearly starved to death that winter. Oren wept.": (),
    }
    for text, expected in cases.items():
        assert who_dies(story(CAST + text)) == expected, text


def test_a_name_after_the_or_a_is_a_title_not_the_character() -> None:
    text = ("Mara bowed to Zent, and Zent smiled at Mara. Later Zent spoke to Oren, and Oren thanked Zent. "
            "Mara and Zent laughed, and Oren greeted Zent. Then Oren and Zent sat.\n\n"
            "With the Zent now dead, Oren fled. Mara wept.")  # fmt: skip
    assert "Zent" in _names(text)
    assert who_dies(story(text)) == ()
    start = text.index("With")
    end = text.index(",", start)
    finding = Finding("death", 0.9, "depicted", 0, start, end, text[start:end], "lexicon.v1",
                      characters=("Zent",))  # fmt: skip
    assert who_dies(story(text), findings=[finding]) == ()
    assert who_dies(story(text.replace("With the Zent now dead", "Zent was dead"))) == ("Zent",)


def test_a_word_mostly_used_alone_is_a_character_even_when_two_full_names_share_it() -> None:
    text = ("Later Josie sat down, and Josie smiled. Oren waved at Josie. Josie laughed, and Oren "
            "looked at Josie. She had been Josie Packard, and Maid Josie.\n\n"
            "Oren found that Josie's dead body was light.")  # fmt: skip
    assert "Josie" in _names(text)
    assert who_dies(story(text)) == ("Josie",)
    shared = "Mara Stone met Tom Stone. Later Mara Stone and Tom Stone left, and Stone waved."
    assert "Stone" not in _names(shared)


def test_that_before_a_clause_does_not_make_the_next_name_a_thing() -> None:
    text = ("Later Oren said that it's James Hickson's old place. Oren knew that it's Mara's home. "
            "Last week James Hickson died in the street.")  # fmt: skip
    assert "James Hickson" in _names(text)


def test_conditions_dreams_and_fears_are_not_deaths() -> None:
    cases = {
        "If Mara died, Oren would be alone.": (),
        "Oren would weep if Mara died.": (),
        "Unless Mara was killed, Oren would wait.": (),
        "Oren dreamed that Mara was dead.": (),
        "Even if they killed Mara, Oren would not talk.": (),
        "Oren wept as if Mara was dead.": (),
        # a condition in another sentence or clause, or a concession, leaves a real death
        "If it rained, Oren stayed in. Mara died in the night.": ("Mara",),
        "If it rained, Oren stayed in; Mara died in the night.": ("Mara",),
        "Even though Oren tried, Mara died.": ("Mara",),
    }
    for text, expected in cases.items():
        assert who_dies(story(CAST + text)) == expected, text
    intro = "Mara brushed her hair; Mara tied her boots. Oren rubbed his eyes; Oren yawned his yawn.\n\n"
    assert who_dies(story(intro + "Mara fought the fever.\n\nIf she died, Oren would be alone.")) == ()
    assert who_dies(story(intro + "Mara fought the fever.\n\nAt dawn she died.")) == ("Mara",)


def test_a_hint_naming_whose_relatives_died_is_not_their_death() -> None:
    def hinted(sentence: str, name: str) -> tuple[str, ...]:
        text = CAST + "Oren slept.\n\n" + sentence
        start = text.index(sentence)
        finding = Finding("death", 0.9, "depicted", 0, start, len(text), sentence, "lexicon.v1",
                          characters=(name,))  # fmt: skip
        return who_dies(story(text), findings=[finding])

    assert hinted("Last night the relatives of Mara, whom she lived with, were killed.", "Mara") == ()
    assert hinted("Last night Mara's uncle was killed in the raid.", "Mara") == ()
    # the same hint where the name is the one who died
    assert hinted("Mara's dead, killed in the raid.", "Mara") == ("Mara",)
    assert hinted("Last night the soldiers found Mara, lifeless.", "Mara") == ("Mara",)
