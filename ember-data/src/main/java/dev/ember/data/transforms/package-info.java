/**
 * Preprocessing and augmentation (torchvision's transforms): geometric and colour changes on 8-bit
 * HWC {@link dev.ember.data.Image}s ({@link dev.ember.data.transforms.RandomCrop},
 * {@link dev.ember.data.transforms.RandomHorizontalFlip}, {@link dev.ember.data.transforms.Resize},
 * {@link dev.ember.data.transforms.CenterCrop}, {@link dev.ember.data.transforms.RandomResizedCrop},
 * {@link dev.ember.data.transforms.ColorJitter}), {@link dev.ember.data.transforms.ToTensor} to CHW
 * floats, then tensor steps ({@link dev.ember.data.transforms.Normalize},
 * {@link dev.ember.data.transforms.RandomErasing}); {@link dev.ember.data.transforms.Compose} and
 * {@link dev.ember.data.transforms.Lambda} glue them. Every random draw comes from the generator the
 * loader passes in.
 */
package dev.ember.data.transforms;
