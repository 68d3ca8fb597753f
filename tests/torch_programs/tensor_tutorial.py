"""A tour of tensors in the style of PyTorch's "Tensors" tutorial; every check is an assert.
Run with `minigrad run tensor_tutorial.py` (or with real PyTorch, unchanged)."""
import numpy as np
import torch

# Creating tensors: from data, from NumPy (sharing memory), from other tensors.
data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
assert x_data.dtype == torch.int64 and x_data.shape == (2, 2)

np_array = np.array(data)
x_np = torch.from_numpy(np_array)
np.multiply(np_array, 2, out=np_array)
assert x_np.tolist() == [[2, 4], [6, 8]], "from_numpy shares memory with the array"

x_ones = torch.ones_like(x_data)
x_rand = torch.rand_like(x_data, dtype=torch.float)
assert x_ones.dtype == torch.int64 and x_rand.dtype == torch.float32
assert ((x_rand >= 0) & (x_rand < 1)).all()

shape = (2, 3,)
rand_tensor, ones_tensor, zeros_tensor = torch.rand(shape), torch.ones(shape), torch.zeros(shape)
print(f"Random Tensor: \n {rand_tensor} \n")
assert zeros_tensor.sum().item() == 0 and ones_tensor.sum().item() == 6

# Attributes.
tensor = torch.rand(3, 4)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")
assert tensor.shape == (3, 4)
assert tensor.device == torch.device("cpu") and str(tensor.device) == "cpu"
if torch.accelerator.is_available():
    tensor = tensor.to(torch.accelerator.current_accelerator())
assert not torch.cuda.is_available() or tensor.is_cuda

# Indexing and slicing, joining.
tensor = torch.ones(4, 4)
tensor[:, 1] = 0
assert tensor[:, 1].sum().item() == 0 and tensor[..., -1].sum().item() == 4
t1 = torch.cat([tensor, tensor, tensor], dim=1)
assert t1.shape == (4, 12)
assert torch.stack([tensor, tensor]).shape == (2, 4, 4)

# Arithmetic: three ways to a matrix product, three to an elementwise one.
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
assert torch.equal(y1, y2) and torch.equal(y1, y3) and torch.allclose(y1, tensor.mm(tensor.t()))
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
assert torch.equal(z1, z2) and torch.equal(z1, z3)

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item))
assert agg_item == 12.0 and isinstance(agg_item, float)

# In-place operations end in an underscore.
tensor.add_(5)
assert tensor[0, 0].item() == 6.0 and tensor[0, 1].item() == 5.0

# Bridge with NumPy: the tensor and its numpy() share memory.
t = torch.ones(5)
n = t.numpy()
t.add_(1)
assert n.tolist() == [2.0] * 5
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
assert t.tolist() == [2.0] * 5 and t.dtype == torch.float64

# More of the API the tutorials use.
a = torch.arange(6).reshape(2, 3)
assert a.dtype == torch.long and a.size(1) == 3 and a.dim() == 2 and a.nelement() == 6
assert len(a) == 2 and [row.tolist() for row in a] == [[0, 1, 2], [3, 4, 5]]
assert torch.flatten(a).tolist() == list(range(6))
assert a.t().shape == (3, 2) and torch.t(a).shape == (3, 2)
assert a.float().dtype == torch.float32 and a.double().dtype == torch.float64
assert a.type(torch.float).dtype == torch.float32 and a.type() == "torch.LongTensor"
values, indices = torch.max(a, dim=1)
assert values.tolist() == [2, 5] and indices.tolist() == [2, 2]
assert torch.max(a).item() == 5 and torch.argmax(a).item() == 5
assert a.eq(a).all() and a.ne(a + 1).all() and a.gt(-1).all() and (a.le(5)).all()
x = torch.linspace(0, 1, 5)
assert x.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0] and x.dtype == torch.float32
assert torch.logspace(0, 2, 3).tolist() == [1.0, 10.0, 100.0]
v = torch.tensor([3.0, 4.0])
assert v.norm().item() == 5.0 and torch.norm(v, p=1).item() == 7.0
assert torch.dot(v, v).item() == 25.0
b = torch.randn(2, 3, 4)
assert torch.bmm(b, b.transpose(1, 2)).shape == (2, 3, 3)
assert b.view_as(torch.empty(6, 4)).shape == (6, 4) and b.reshape_as(torch.empty(24)).shape == (24,)
assert sorted(torch.randperm(5).tolist()) == list(range(5))
# A one-hot label, as the transforms tutorial builds its target_transform.
one_hot = torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(3), value=1)
assert one_hot.argmax().item() == 3 and one_hot.sum().item() == 1
print("tensor tutorial: OK")
