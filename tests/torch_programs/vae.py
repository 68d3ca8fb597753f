"""A small variational autoencoder on (a slice of) MNIST, in the style of pytorch/examples'
vae/main.py: reparameterisation with randn_like, binary cross-entropy plus the KL term."""
import argparse

import torch
import torch.utils.data
from torch import nn, optim
from torch.nn import functional as F
from torchvision import datasets, transforms

parser = argparse.ArgumentParser(description="VAE on an MNIST slice")
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--train-size", type=int, default=4000)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

torch.manual_seed(args.seed)
device = torch.device("cpu")
train_set = datasets.MNIST("../data", train=True, download=True, transform=transforms.ToTensor())
train_loader = torch.utils.data.DataLoader(torch.utils.data.Subset(train_set, range(args.train_size)),
                                           batch_size=args.batch_size, shuffle=True)


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(784, 200)
        self.fc21 = nn.Linear(200, 10)
        self.fc22 = nn.Linear(200, 10)
        self.fc3 = nn.Linear(10, 200)
        self.fc4 = nn.Linear(200, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


model = VAE().to(device)
optimizer = optim.Adam(model.parameters(), lr=1e-3)


def loss_function(recon_x, x, mu, logvar):
    # Reconstruction (summed BCE) plus KL(q(z|x) || N(0, I)) = -1/2 sum(1 + log s^2 - m^2 - s^2)
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


losses = []
for epoch in range(1, args.epochs + 1):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
    losses.append(train_loss / len(train_loader.dataset))
    print("====> Epoch: {} Average loss: {:.4f}".format(epoch, losses[-1]))

with torch.no_grad():
    sample = model.decode(torch.randn(64, 10).to(device)).cpu()
    assert sample.shape == (64, 784) and 0 <= sample.min().item() and sample.max().item() <= 1
# Binary cross-entropy of 784 pixels starts near 543 (= 784 ln 2); a trained VAE is far below.
assert losses[-1] < losses[0] and losses[-1] < 280, losses
print("vae: OK")
