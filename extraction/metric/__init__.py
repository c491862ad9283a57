"""What is counted: numbers of a sentence -> candidate figures with metric, value and qualifier (rules
`metric.*`). `candidates` holds the order of the rules; `units`, `labels`, `people` and `lists` read the
phrases they need; `repeats` drops headline numbers that repeat the body and figures said twice."""
from minemap.extraction.metric.candidates import PEOPLE, Candidate, lone_victims, sentence_candidates
from minemap.extraction.metric.lists import victims_split_told_next

__all__ = ["PEOPLE", "Candidate", "lone_victims", "sentence_candidates", "victims_split_told_next"]
