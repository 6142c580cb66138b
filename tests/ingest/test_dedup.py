"""Fingerprints: the same for a text whatever batch it comes in, and the same as stores hold."""
import random

from feedback_nlp.dedup import MINHASH_CHUNK, batch_fingerprints, fingerprints

TEXT = ("Была в ЦЗН в Твери, очередь почти два часа; консультант всё объяснила. "
        "https://vk.com/wall-1_2")


def test_fingerprints_do_not_depend_on_the_batch():
    rnd = random.Random(3)
    words = "очередь пособие резюме вакансии курсы инспектор сайт запись".split()
    texts = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 40)))
             for _ in range(2 * MINHASH_CHUNK + 37)]
    alone = [fingerprints([t])[0] for t in texts]
    assert fingerprints(texts) == alone
    prints = batch_fingerprints(texts)
    assert [prints.one(n) for n in range(len(texts))] == alone
    assert prints.take([5, 2]).text_hashes == [alone[5].text_hash, alone[2].text_hash]


def test_fingerprints_match_those_already_stored():
    # signatures and band keys of existing stores are compared with new ones: they must never
    # change (these values were computed by the first implementation)
    (fp,) = fingerprints([TEXT])
    assert fp.text_hash == "99d83156da8fbc5644db81a51f0162426ea1079e"
    assert fp.band_keys == (8589340055910820219, 8168467374028226290, 1937498303743731876,
                            -451787487880347708, -3923704096466474976, 8546437905492513816,
                            -6158928159174823741, 5502433486542078761)
    assert fp.signature is not None and fp.signature.hex().startswith("7867360769d2e511")


def test_short_texts_have_no_signature():
    (fp,) = fingerprints(["Спасибо большое!"])
    assert fp.signature is None and fp.band_keys == ()
