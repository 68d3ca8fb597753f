"""Knowledge distillation as tutorials write it: a student matches a teacher's softened
outputs with ``nn.KLDivLoss(reduction='batchmean')`` on log-probabilities, plus a Huber
regression head, and an embedding compared with ``F.normalize`` / ``F.cosine_similarity``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)
T = 2.0  # temperature
teacher = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 4))
student = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
regressor = nn.Linear(8, 1)
kl = nn.KLDivLoss(reduction="batchmean")
huber = nn.HuberLoss(delta=0.5)
optimizer = torch.optim.Adam(list(student.parameters()) + list(regressor.parameters()), lr=1e-2)

x = torch.randn(512, 8)
y = x[:, :1] * 2.0 + 0.5
y[::50] += 20.0  # outliers: the Huber loss grows only linearly in them
with torch.no_grad():
    soft_targets = F.softmax(teacher(x) / T, dim=1)
for step in range(400):
    optimizer.zero_grad()
    distill = kl(F.log_softmax(student(x) / T, dim=1), soft_targets) * T * T
    loss = distill + huber(regressor(x), y)
    loss.backward()
    optimizer.step()

agreement = (student(x).argmax(1) == teacher(x).argmax(1)).float().mean().item()
print(f"distillation KL {distill.item():.4f}, student agrees with teacher on {agreement:.3f}")
assert distill.item() < 0.05 and agreement > 0.9
# Huber is robust: the slope is found despite the outliers.
print(f"slope {regressor.weight[0, 0].item():.3f}")
assert abs(regressor.weight[0, 0].item() - 2.0) < 0.2

# Embedding similarity: unit vectors, cosine similarity = dot product of the unit vectors.
emb = F.normalize(torch.randn(5, 3), p=2, dim=1)
assert torch.allclose(emb.norm(dim=1), torch.ones(5), atol=1e-6)
cos = F.cosine_similarity(emb[:1], emb, dim=1)
assert torch.allclose(cos, (emb[:1] * emb).sum(1), atol=1e-6) and abs(cos[0].item() - 1) < 1e-6
assert abs(nn.CosineSimilarity(dim=0)(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 2.0])).item()) < 1e-7
print("distillation_losses: OK")
