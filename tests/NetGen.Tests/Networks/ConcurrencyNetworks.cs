namespace NetGen.Tests.Networks;

// Issue 17 item 2: one instance shared by many predicting threads. Wide enough that the products
// use the worker pool (2¹⁸ multiply-adds at batch 64), with dropout, Maxout and a fused softmax.
[Network(Loss = Loss.CrossEntropy, Seed = 17)]
[Input(64)] [Dense(257, Activation.ReLU)] [Dropout(0.3f)] [Maxout(17, 3)] [Dense(3, Activation.Softmax)]
public partial class SharedClassifier;
