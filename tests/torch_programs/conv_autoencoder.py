"""A convolutional autoencoder as image tutorials write it: reflection padding, strided
convolutions down, ``nn.Upsample`` (bilinear) and ``F.interpolate`` up, Hardswish/SELU/
PReLU activations, trained with Adam on synthetic blob images; then a triplet loss on the
codes and ``torch.isfinite`` / ``torch.round`` checks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def blobs(n):
    """Gaussian blobs at random centres on a 16 x 16 grid."""
    ys, xs = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    centres = torch.rand(n, 2) * 10 + 3
    d2 = (ys - centres[:, :1, None]) ** 2 + (xs - centres[:, 1:, None]) ** 2
    return torch.exp(-d2 / 8.0).unsqueeze(1)


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(1, 8, 3, stride=2), nn.Hardswish(),   # 8 x 8
            nn.ZeroPad2d(1), nn.Conv2d(8, 16, 3, stride=2), nn.SELU())            # 4 x 4
        self.decoder_conv = nn.Sequential(
            nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),    # 8 x 8
            nn.Conv2d(16, 8, 3, padding=1), nn.PReLU(8))
        self.out = nn.Conv2d(8, 1, 3, padding=1)

    def forward(self, x):
        code = self.encoder(x)
        h = self.decoder_conv(code)
        h = F.interpolate(h, size=x.shape[-2:], mode="nearest")                  # 16 x 16
        return self.out(h), code.flatten(1)


model = AutoEncoder()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
train, test = blobs(64), blobs(32)
baseline = F.mse_loss(train.mean(0, keepdim=True).expand_as(test), test).item()
for step in range(60):
    optimizer.zero_grad()
    loss = F.mse_loss(model(train)[0], train)
    loss.backward()
    optimizer.step()

with torch.no_grad():
    test_loss = F.mse_loss(model(test)[0], test).item()
print(f"test reconstruction MSE {test_loss:.5f} (predicting the mean image: {baseline:.5f})")
assert torch.isfinite(model(test)[0]).all()
assert test_loss < baseline / 4, (test_loss, baseline)
# A triplet loss on the codes: an image is its own best positive, zero loss past the margin.
_, codes = model(test)
assert F.triplet_margin_loss(codes, codes, codes + 100.0, margin=1.0).item() == 0.0
assert torch.round(torch.tensor([0.5, 1.5])).tolist() == [0.0, 2.0]  # half to even
print("conv_autoencoder: OK")
