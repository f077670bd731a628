"""English plurals reduced to their singular, in the index and in every query alike.

A buyer types "fish sauces" where the name says "fish sauce", or "mat" where it says
"sedge mats". The rule is Lucene's minimal English stemmer (`minimal_english`: "-ies" to
"-y", "-es" and "-s" dropped, "-ss", "-us" and "-aes"-like endings kept). It runs in
Python on folded words, like the folding itself, so SQLite, PostgreSQL and Elasticsearch
(osmem-server included, whatever token filters it implements) hold and query the same
words. Folded Vietnamese syllables never end in "s", so only foreign words change.
"""


def stem(word):
    """The singular of an English plural, any other word unchanged: "sauces" -> "sauce"."""
    if len(word) < 3 or word[-1] != "s" or word[-2] in "us":
        return word
    if word[-2] == "e":
        if len(word) > 3 and word[-3] == "i" and word[-4] not in "ae":
            return word[:-3] + "y"
        if word[-3] in "iaoe":
            return word
    return word[:-1]


def stems(words):
    """`stem` of each folded word, in order."""
    return [stem(word) for word in words]
